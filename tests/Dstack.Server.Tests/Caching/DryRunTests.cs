using System.Net;
using Dstack.Contracts.Client;
using Dstack.Contracts.Runs;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Caching;

public sealed class DryRunTests
{
    [Fact]
    public async Task DryRun_WithNoEarlierJob_SaysSo_AndStoresNothing()
    {
        await using var harness = await ServerHarness.StartAsync();
        await harness.User.InitRepoAsync(new() { RepoUrl = Workflows.RepoUrl });

        var preview = await harness.User.PreviewRunAsync(CachePipeline.Run("train"));

        Assert.Equal("train", preview.Workflow);
        Assert.Equal(["prepare", "other", "train"], preview.Jobs.Select(j => j.Workflow));
        Assert.All(preview.Jobs, j => Assert.Equal(CacheDecision.Run, j.Decision));
        Assert.All(preview.Jobs, j => Assert.Equal(["no earlier job of this workflow"], j.Differences));
        Assert.All(preview.Jobs, j => Assert.Null(j.ClosestJobId));
        Assert.Empty(await harness.User.ListRunsAsync(Workflows.RepoUrl));
        Assert.Equal(0, CachePipeline.JobRows(harness));
    }

    [Fact]
    public async Task DryRun_ShowsTheKeysTheRunWillHave_AndWhichJobsItWouldReuseOrAwait()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var done = await harness.SubmitAsync(CachePipeline.Run("prepare"));
        await CachePipeline.CompleteAllAsync(harness, runner);
        var going = await harness.SubmitAsync(CachePipeline.Run("other"));

        var preview = await harness.User.PreviewRunAsync(CachePipeline.Run("train"));
        var run = await harness.SubmitAsync(CachePipeline.Run("train"));

        var byName = preview.Jobs.ToDictionary(j => j.Workflow);
        Assert.Equal((CacheDecision.Reuse, done.Jobs[0].JobId, done.RunName), (byName["prepare"].Decision, byName["prepare"].JobId, byName["prepare"].RunName));
        Assert.Equal((CacheDecision.Await, going.Jobs[0].JobId, going.RunName), (byName["other"].Decision, byName["other"].JobId, byName["other"].RunName));
        Assert.Empty(byName["prepare"].Differences);
        Assert.Equal(CacheDecision.Run, byName["train"].Decision);
        Assert.Equal(run.Jobs.Select(j => j.CacheKey), preview.Jobs.Select(j => j.CacheKey));
    }

    [Fact]
    public async Task DryRun_NamesTheVariableThatDiffers_AndTheDependencyWhoseKeyDiffers()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var first = await harness.SubmitAsync(CachePipeline.Run("train"));
        await CachePipeline.CompleteAllAsync(harness, runner);

        var preview = await harness.User.PreviewRunAsync(CachePipeline.Run("train", variables: new Dictionary<string, string> { ["size"] = "large" }));

        var byName = preview.Jobs.ToDictionary(j => j.Workflow);
        var before = first.Jobs.ToDictionary(j => j.Workflow);
        Assert.Equal((CacheDecision.Run, before["prepare"].JobId), (byName["prepare"].Decision, byName["prepare"].ClosestJobId));
        // The variable is substituted in the commands and exported to the environment: both differ with it.
        Assert.Equal(["variable size: small -> large"], byName["prepare"].Differences);
        Assert.Equal(CacheDecision.Reuse, byName["other"].Decision);
        Assert.Equal(["dependency prepare: its key differs"], byName["train"].Differences);
        Assert.Equal(before["train"].JobId, byName["train"].ClosestJobId);
    }

    [Fact]
    public async Task DryRun_NamesTheCode_WhenTheCommitsFilesDiffer()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync(CachePipeline.Run("other"));
        await CachePipeline.CompleteAllAsync(harness, runner);

        var preview = await harness.User.PreviewRunAsync(CachePipeline.Run("other", Workflows.Code("tree-2")));

        Assert.Equal(["code: committed files"], Assert.Single(preview.Jobs).Differences);
    }

    [Fact]
    public async Task DryRun_WithNoCache_RunsEveryJob_SayingWhy()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync(CachePipeline.Run("other"));
        await CachePipeline.CompleteAllAsync(harness, runner);

        var preview = await harness.User.PreviewRunAsync(CachePipeline.Run("other") with { NoCache = true });

        var job = Assert.Single(preview.Jobs);
        Assert.Equal((CacheDecision.Run, null), (job.Decision, job.JobId));
        Assert.Equal(["--no-cache"], job.Differences);
    }

    [Fact]
    public async Task DryRun_SaysWhenTheJobWithTheKeyLostItsArtifacts()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var first = await harness.SubmitAsync(CachePipeline.Run("other"));
        await CachePipeline.CompleteAllAsync(harness, runner);
        var sha = Assert.Single((await harness.User.GetJobArtifactsAsync(first.Jobs[0].JobId)).Files).Sha256;
        File.Delete(Path.Combine(harness.Home, "blobs", sha[..2], sha));

        var job = Assert.Single((await harness.User.PreviewRunAsync(CachePipeline.Run("other"))).Jobs);

        Assert.Equal((CacheDecision.Run, first.Jobs[0].JobId), (job.Decision, job.ClosestJobId));
        Assert.Equal([$"job {first.Jobs[0].JobId} had this key but its artifacts are gone"], job.Differences);
    }

    [Fact]
    public async Task DryRun_SaysWhenTheJobWithTheKeyFailed()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var first = await harness.SubmitAsync(CachePipeline.Run("other"));
        await harness.FinishAsync((await harness.LeaseAsync(runner))!, Contracts.Jobs.JobStatus.Failed, "exit code 1", 1);

        var job = Assert.Single((await harness.User.PreviewRunAsync(CachePipeline.Run("other"))).Jobs);

        Assert.Equal(CacheDecision.Run, job.Decision);
        Assert.Equal([$"job {first.Jobs[0].JobId} had this key but is FAILED: a failed, stopped or aborted job is never reused"], job.Differences);
    }

    [Fact]
    public async Task DryRun_RefusesWhatTheRunWouldRefuse()
    {
        await using var harness = await ServerHarness.StartAsync();
        await harness.User.InitRepoAsync(new() { RepoUrl = Workflows.RepoUrl });

        var tag = await Assert.ThrowsAsync<DstackApiException>(() => harness.User.PreviewRunAsync(CachePipeline.Run("from-best")));
        var variable = await Assert.ThrowsAsync<DstackApiException>(() =>
            harness.User.PreviewRunAsync(CachePipeline.Run("other", variables: new Dictionary<string, string> { ["nope"] = "1" })));

        Assert.Equal(HttpStatusCode.BadRequest, tag.StatusCode);
        Assert.Contains("no run of this repository is tagged best", tag.Message);
        Assert.Equal(HttpStatusCode.BadRequest, variable.StatusCode);
        Assert.Contains("unknown variable 'nope'", variable.Message);
    }

    [Fact]
    public async Task DryRun_DoesNotNeedTheRequestsBlobsUploaded()
    {
        await using var harness = await ServerHarness.StartAsync();
        await harness.User.InitRepoAsync(new() { RepoUrl = Workflows.RepoUrl });

        var preview = await harness.User.PreviewRunAsync(CachePipeline.Run("other") with { DiffBlob = new string('b', 64) });

        Assert.Equal(CacheDecision.Run, Assert.Single(preview.Jobs).Decision);
    }
}
