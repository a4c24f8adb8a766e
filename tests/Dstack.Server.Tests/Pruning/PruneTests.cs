using System.Net;
using Dstack.Contracts.Client;
using Dstack.Contracts.Pruning;
using Dstack.Contracts.Runs;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Pruning;

public sealed class PruneTests
{
    private const string OtherRepoUrl = "https://example.com/another.git";

    private static readonly string[] JobTables = ["run_jobs", "job_dependencies", "job_attempts", "job_artifact_files", "log_records"];

    private static PruneRequest Request(bool dryRun = false, string repoUrl = Workflows.RepoUrl) => new() { RepoUrl = repoUrl, DryRun = dryRun };

    [Fact]
    public async Task Prune_RemovesAFinishedUntaggedRun_WithItsJobs_Logs_ArtifactRows_AndTheBlobsOnlyItUsed()
    {
        await using var scenario = await PruneScenario.StartAsync();
        var harness = scenario.Harness;
        var run = await scenario.FinishedRunAsync("finetune-model", diff: "the diff", artifacts: ["weights", "tokens"]);
        var artifact = (await harness.User.GetJobArtifactsAsync(run.Jobs[0].JobId)).Files.Select(f => (f.Sha256, f.Size)).ToList();
        foreach (var table in JobTables) Assert.NotEqual(0, await scenario.RowsOfJobsAsync(table, run.Jobs));

        var result = await harness.User.PruneAsync(Request());

        Assert.False(result.DryRun);
        Assert.Equal([run.RunName], result.Runs);
        Assert.Equal(3, result.Jobs);
        Assert.Equal(3, result.Blobs);
        Assert.Equal("weights".Length + "tokens".Length + "the diff".Length, result.Bytes);
        Assert.Null(await harness.User.FindRunAsync(run.RunName));
        foreach (var job in run.Jobs) Assert.Null(await harness.User.FindJobAsync(job.JobId));
        foreach (var table in JobTables) Assert.Equal(0, await scenario.RowsOfJobsAsync(table, run.Jobs));
        foreach (var (sha256, _) in artifact)
        {
            Assert.False(File.Exists(scenario.BlobPath(sha256)));
            Assert.False(await harness.User.BlobExistsAsync(sha256));
        }
        Assert.Empty(await harness.User.ListRunsAsync(Workflows.RepoUrl, last: 10));
        Assert.Empty(Directory.GetFiles(Path.Combine(harness.Home, "blobs"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Prune_KeepsTaggedRuns_AndUnfinishedOnes_IncludingARunThatAwaitsAnotherRunsJob()
    {
        await using var scenario = await PruneScenario.StartAsync();
        var harness = scenario.Harness;
        var tagged = await scenario.FinishedRunAsync("download-model");
        await harness.User.TagRunAsync(tagged.RunName, "best");
        var finished = await scenario.FinishedRunAsync("download-model");
        var awaiting = await scenario.FinishedRunAsync("encode-dataset");
        var running = await scenario.RunningRunAsync("download-model");
        await scenario.ReuseAsync(awaiting, running.Jobs[0]);

        var result = await harness.User.PruneAsync(Request());

        Assert.Equal([finished.RunName], result.Runs);
        Assert.Equal(1, result.Jobs);
        foreach (var kept in new[] { tagged, awaiting, running }) Assert.NotNull(await harness.User.FindRunAsync(kept.RunName));
        Assert.Null(await harness.User.FindRunAsync(finished.RunName));
    }

    [Fact]
    public async Task Prune_KeepsTheRunsWhoseJobsATaggedRunReuses_Transitively_AndRemovesUntaggedRunsThatOnlyUseEachOther()
    {
        await using var scenario = await PruneScenario.StartAsync();
        var harness = scenario.Harness;
        var first = await scenario.FinishedRunAsync("download-model");
        var middle = await scenario.FinishedRunAsync("encode-dataset");
        var tagged = await scenario.FinishedRunAsync("encode-dataset");
        var usedByAnUntaggedRun = await scenario.FinishedRunAsync("download-model");
        var untaggedUser = await scenario.FinishedRunAsync("encode-dataset");
        await scenario.ReuseAsync(middle, first.Jobs[0]);
        await scenario.ReuseAsync(tagged, middle.Jobs[0]);
        await scenario.ReuseAsync(untaggedUser, usedByAnUntaggedRun.Jobs[0]);
        await harness.User.TagRunAsync(tagged.RunName, "latest");

        var result = await harness.User.PruneAsync(Request());

        Assert.Equal([usedByAnUntaggedRun.RunName, untaggedUser.RunName], result.Runs);
        Assert.Equal(2, result.Jobs);
        foreach (var kept in new[] { first, middle, tagged }) Assert.NotNull(await harness.User.FindRunAsync(kept.RunName));
        Assert.NotNull(await harness.User.FindJobAsync(first.Jobs[0].JobId));
    }

    [Fact]
    public async Task Prune_KeepsTheRunsWhoseJobsATaggedRunsJobDependsOn_Transitively_ThroughReuseToo()
    {
        await using var scenario = await PruneScenario.StartAsync();
        var harness = scenario.Harness;
        var deepest = await scenario.FinishedRunAsync("download-model");
        var reusedByDependency = await scenario.FinishedRunAsync("download-model");
        var dependency = await scenario.FinishedRunAsync("download-model");
        var tagged = await scenario.FinishedRunAsync("encode-dataset");
        var unrelated = await scenario.FinishedRunAsync("encode-dataset");
        await scenario.DependAsync(tagged.Jobs[0], dependency.Jobs[0]);
        await scenario.ReuseAsync(dependency, reusedByDependency.Jobs[0]);
        await scenario.DependAsync(reusedByDependency.Jobs[0], deepest.Jobs[0]);
        await harness.User.TagRunAsync(tagged.RunName, "latest");

        var result = await harness.User.PruneAsync(Request());

        Assert.Equal([unrelated.RunName], result.Runs);
        foreach (var kept in new[] { deepest, reusedByDependency, dependency, tagged }) Assert.NotNull(await harness.User.FindRunAsync(kept.RunName));
    }

    [Fact]
    public async Task Prune_KeepsABlobThatAKeptRunStillReferences_AndDeletesTheOnesOnlyTheRemovedRunUsed()
    {
        await using var scenario = await PruneScenario.StartAsync();
        var harness = scenario.Harness;
        var kept = await scenario.FinishedRunAsync("download-model", diff: "shared diff", artifacts: ["shared weights"]);
        await harness.User.TagRunAsync(kept.RunName, "latest");
        var removed = await scenario.FinishedRunAsync("download-model", diff: "shared diff", artifacts: ["shared weights", "own weights"]);
        var files = (await harness.User.GetJobArtifactsAsync(removed.Jobs[0].JobId)).Files;
        var shared = files.Single(f => f.Path == "out/0").Sha256;
        var own = files.Single(f => f.Path == "out/1").Sha256;

        var result = await harness.User.PruneAsync(Request());

        Assert.Equal([removed.RunName], result.Runs);
        Assert.Equal(1, result.Blobs);
        Assert.Equal("own weights".Length, result.Bytes);
        Assert.True(File.Exists(scenario.BlobPath(shared)));
        Assert.False(File.Exists(scenario.BlobPath(own)));
        Assert.Equal([shared], (await harness.User.GetJobArtifactsAsync(kept.Jobs[0].JobId)).Files.Select(f => f.Sha256));
        var diffBlobs = Directory.GetFiles(Path.Combine(harness.Home, "blobs"), "*", SearchOption.AllDirectories)
            .Where(p => File.ReadAllText(p) == "shared diff");
        Assert.Single(diffBlobs);
    }

    [Fact]
    public async Task DryRun_RemovesNothing_AndListsWhatPruneThenRemoves()
    {
        await using var scenario = await PruneScenario.StartAsync();
        var harness = scenario.Harness;
        var tagged = await scenario.FinishedRunAsync("download-model", artifacts: ["kept"]);
        await harness.User.TagRunAsync(tagged.RunName, "latest");
        var first = await scenario.FinishedRunAsync("finetune-model", diff: "a diff", artifacts: ["one"]);
        var second = await scenario.FinishedRunAsync("encode-dataset", artifacts: ["two"]);
        var blob = (await harness.User.GetJobArtifactsAsync(second.Jobs[0].JobId)).Files[0].Sha256;

        var dryRun = await harness.User.PruneAsync(Request(dryRun: true));
        var stillThere = await harness.User.ListRunsAsync(Workflows.RepoUrl, last: 10);
        var blobStillThere = File.Exists(scenario.BlobPath(blob));
        var logsStillThere = await scenario.RowsOfJobsAsync("log_records", second.Jobs);
        var pruned = await harness.User.PruneAsync(Request());

        Assert.True(dryRun.DryRun);
        Assert.Equal([first.RunName, second.RunName], dryRun.Runs);
        Assert.Equal((4, 3, "one".Length + "two".Length + "a diff".Length), (dryRun.Jobs, dryRun.Blobs, (int)dryRun.Bytes));
        Assert.Equal([tagged.RunName, first.RunName, second.RunName], stillThere.Select(r => r.RunName));
        Assert.True(blobStillThere);
        Assert.Equal(1, logsStillThere);
        Assert.False(pruned.DryRun);
        Assert.Equal(dryRun.Runs, pruned.Runs);
        Assert.Equal((dryRun.Jobs, dryRun.Blobs, dryRun.Bytes), (pruned.Jobs, pruned.Blobs, pruned.Bytes));
        Assert.False(File.Exists(scenario.BlobPath(blob)));
    }

    [Fact]
    public async Task Prune_LeavesOtherRepositoriesAlone_AndTheirBlobs_AndARunOfThemThatUsesThisRepositorysRun()
    {
        await using var scenario = await PruneScenario.StartAsync();
        var harness = scenario.Harness;
        var here = await scenario.FinishedRunAsync("download-model", artifacts: ["same content"]);
        var usedFromThere = await scenario.FinishedRunAsync("encode-dataset");
        var there = await scenario.FinishedRunAsync("download-model", repoUrl: OtherRepoUrl, artifacts: ["same content"]);
        await scenario.ReuseAsync(there, usedFromThere.Jobs[0]);
        var sameContent = (await harness.User.GetJobArtifactsAsync(here.Jobs[0].JobId)).Files[0].Sha256;

        var result = await harness.User.PruneAsync(Request());
        var again = await harness.User.PruneAsync(Request());

        Assert.Equal([here.RunName], result.Runs);
        Assert.Equal((0, 0L), (result.Blobs, result.Bytes));
        Assert.NotNull(await harness.User.FindRunAsync(there.RunName));
        Assert.NotNull(await harness.User.FindRunAsync(usedFromThere.RunName));
        Assert.True(File.Exists(scenario.BlobPath(sameContent)));
        Assert.Equal((0, 0, 0, 0L), (again.Runs.Count, again.Jobs, again.Blobs, again.Bytes));
    }

    [Fact]
    public async Task Prune_WithoutARepository_IsRefused()
    {
        await using var scenario = await PruneScenario.StartAsync();

        var error = await Assert.ThrowsAsync<DstackApiException>(() => scenario.Harness.User.PruneAsync(Request(repoUrl: " ")));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("no repository URL", error.Message);
    }
}
