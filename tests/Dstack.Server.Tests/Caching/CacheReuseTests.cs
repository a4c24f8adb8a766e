using System.Net;
using System.Text;
using Dstack.Contracts.Client;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runs;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Caching;

public sealed class CacheReuseTests
{
    private static readonly Dictionary<string, string> Large = new() { ["size"] = "large" };

    [Fact]
    public async Task SameRequestTwice_TheSecondRunListsTheFirstRunsJobsAsReused_AndCreatesNoJob()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var first = await harness.SubmitAsync(CachePipeline.Run("train"));
        await CachePipeline.CompleteAllAsync(harness, runner);
        var rows = CachePipeline.JobRows(harness);

        var second = await harness.SubmitAsync(CachePipeline.Run("train"));

        Assert.Equal(first.Jobs.Select(j => j.JobId), second.Jobs.Select(j => j.JobId));
        Assert.All(second.Jobs, j => Assert.True(j.Reused));
        Assert.All(second.Jobs, j => Assert.Equal(first.RunName, j.RunName));
        Assert.All(second.Jobs, j => Assert.Equal(JobStatus.Done, j.Status));
        Assert.Equal(JobStatus.Done, second.Status);
        Assert.Equal(first.Jobs.Select(j => j.CacheKey), second.Jobs.Select(j => j.CacheKey));
        Assert.All(second.Jobs, j => Assert.Matches("^[0-9a-f]{64}$", j.CacheKey!));
        Assert.Equal(3, rows);
        Assert.Equal(rows, CachePipeline.JobRows(harness));
        Assert.Null(await harness.LeaseAsync(runner, waitMs: 50));
        // The first run still calls them its own.
        Assert.All((await harness.User.FindRunAsync(first.RunName))!.Jobs, j => Assert.False(j.Reused));
        Assert.False((await harness.User.FindJobAsync(first.Jobs[0].JobId))!.Reused);
    }

    [Fact]
    public async Task ChangedOverride_RekeysOnlyTheJobsWhoseWorkflowHasTheVariable_AndTheirDependents()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var first = await harness.SubmitAsync(CachePipeline.Run("train"));
        await CachePipeline.CompleteAllAsync(harness, runner);

        var second = await harness.SubmitAsync(CachePipeline.Run("train", variables: Large));

        var before = first.Jobs.ToDictionary(j => j.Workflow);
        var after = second.Jobs.ToDictionary(j => j.Workflow);
        Assert.False(after["prepare"].Reused);
        Assert.NotEqual(before["prepare"].JobId, after["prepare"].JobId);
        Assert.NotEqual(before["prepare"].CacheKey, after["prepare"].CacheKey);
        Assert.True(after["other"].Reused);
        Assert.Equal(before["other"].JobId, after["other"].JobId);
        Assert.False(after["train"].Reused);
        Assert.NotEqual(before["train"].CacheKey, after["train"].CacheKey);
        Assert.Equal([after["prepare"].JobId, before["other"].JobId], after["train"].DependsOn);
        Assert.Equal(5, CachePipeline.JobRows(harness));
    }

    [Fact]
    public async Task WorkflowWithIncludePaths_KeepsItsKey_WhenOnlyAnotherPathChanges()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        RepoCode Code(string tree, string src) => Workflows.Code(tree, paths: new Dictionary<string, PathCode> { ["src"] = new() { Object = src } });
        var first = await harness.SubmitAsync(CachePipeline.Run("narrow", Code("tree-1", "src-1")));
        await CachePipeline.CompleteAllAsync(harness, runner);

        var elsewhere = await harness.SubmitAsync(CachePipeline.Run("narrow", Code("tree-2", "src-1")));
        var inside = await harness.SubmitAsync(CachePipeline.Run("narrow", Code("tree-2", "src-2")));

        Assert.True(elsewhere.Jobs[0].Reused);
        Assert.Equal(first.Jobs[0].JobId, elsewhere.Jobs[0].JobId);
        Assert.False(inside.Jobs[0].Reused);
        Assert.NotEqual(first.Jobs[0].CacheKey, inside.Jobs[0].CacheKey);
    }

    [Fact]
    public async Task WorkflowWithIncludePaths_IsRefused_WhenTheRequestLacksThePathsIdentity()
    {
        await using var harness = await ServerHarness.StartAsync();

        var error = await Assert.ThrowsAsync<DstackApiException>(() => harness.SubmitAsync(CachePipeline.Run("narrow")));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("no code identity for the included path 'src'", error.Message);
        Assert.Equal(0, CachePipeline.JobRows(harness));
    }

    [Fact]
    public async Task UncommittedChanges_ChangeTheKey()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var first = await harness.SubmitAsync(CachePipeline.Run("other"));
        await CachePipeline.CompleteAllAsync(harness, runner);

        var edited = await harness.SubmitAsync(CachePipeline.Run("other", Workflows.Code("tree-1", changes: "diff-1")));

        Assert.False(edited.Jobs[0].Reused);
        Assert.NotEqual(first.Jobs[0].CacheKey, edited.Jobs[0].CacheKey);
    }

    [Fact]
    public async Task NoCache_CreatesNewJobs_WithTheSameKeys()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var first = await harness.SubmitAsync(CachePipeline.Run("train"));
        await CachePipeline.CompleteAllAsync(harness, runner);

        var again = await harness.SubmitAsync(CachePipeline.Run("train") with { NoCache = true });

        Assert.All(again.Jobs, j => Assert.False(j.Reused));
        Assert.Empty(again.Jobs.Select(j => j.JobId).Intersect(first.Jobs.Select(j => j.JobId)));
        Assert.Equal(first.Jobs.Select(j => j.CacheKey), again.Jobs.Select(j => j.CacheKey));
        Assert.Equal(6, CachePipeline.JobRows(harness));
        Assert.Equal(again.Jobs.Take(2).Select(j => j.JobId), again.Jobs[2].DependsOn);
    }

    [Fact]
    public async Task DoneJobWhoseArtifactBlobIsGone_IsNotReused()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var first = await harness.SubmitAsync(CachePipeline.Run("prepare"));
        await CachePipeline.CompleteAllAsync(harness, runner);
        var artifacts = await harness.User.GetJobArtifactsAsync(first.Jobs[0].JobId);
        var sha = Assert.Single(artifacts.Files).Sha256;
        File.Delete(Path.Combine(harness.Home, "blobs", sha[..2], sha));

        var second = await harness.SubmitAsync(CachePipeline.Run("prepare"));

        Assert.False(second.Jobs[0].Reused);
        Assert.NotEqual(first.Jobs[0].JobId, second.Jobs[0].JobId);
        Assert.Equal(first.Jobs[0].CacheKey, second.Jobs[0].CacheKey);
        Assert.Equal(second.Jobs[0].JobId, (await harness.LeaseAsync(runner))!.JobId);
    }

    [Fact]
    public async Task FailedAndStoppedJobs_AreNeitherReusedNorAwaited()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var failed = await harness.SubmitAsync(CachePipeline.Run("prepare"));
        await harness.FinishAsync((await harness.LeaseAsync(runner))!, JobStatus.Failed, "exit code 1", 1);
        var stopped = await harness.SubmitAsync(CachePipeline.Run("other"));
        await harness.User.StopRunAsync(stopped.RunName, new StopRequest());

        var prepareAgain = await harness.SubmitAsync(CachePipeline.Run("prepare"));
        var otherAgain = await harness.SubmitAsync(CachePipeline.Run("other"));

        Assert.Equal(JobStatus.Stopped, (await harness.User.FindJobAsync(stopped.Jobs[0].JobId))!.Status);
        Assert.False(prepareAgain.Jobs[0].Reused);
        Assert.NotEqual(failed.Jobs[0].JobId, prepareAgain.Jobs[0].JobId);
        Assert.Equal(JobStatus.Submitted, prepareAgain.Jobs[0].Status);
        Assert.False(otherAgain.Jobs[0].Reused);
        Assert.NotEqual(stopped.Jobs[0].JobId, otherAgain.Jobs[0].JobId);
    }

    [Fact]
    public async Task SubmittedJobWithTheKey_IsAwaited_NotStartedTwice()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var first = await harness.SubmitAsync(CachePipeline.Run("prepare"));

        var second = await harness.SubmitAsync(CachePipeline.Run("prepare"));
        var lease = (await harness.LeaseAsync(runner))!;
        var secondLease = await harness.LeaseAsync(runner, waitMs: 50);
        await CachePipeline.CompleteAsync(harness, lease);

        Assert.Equal(first.Jobs[0].JobId, second.Jobs[0].JobId);
        Assert.True(second.Jobs[0].Reused);
        Assert.Equal((JobStatus.Submitted, first.RunName), (second.Jobs[0].Status, second.Jobs[0].RunName));
        Assert.Equal(JobStatus.Submitted, second.Status);
        Assert.Equal(first.Jobs[0].JobId, lease.JobId);
        Assert.Null(secondLease);
        Assert.Equal(JobStatus.Done, (await harness.User.FindRunAsync(second.RunName))!.Status);
        Assert.Equal(1, CachePipeline.JobRows(harness));
        // The run is unfinished while it awaits: `status` lists it.
        Assert.Contains(second.RunName, (await harness.User.ListRunsAsync(Workflows.RepoUrl, last: 5)).Select(r => r.RunName));
    }

    [Fact]
    public async Task RunAwaitingAnotherRunsJob_IsListedAsUnfinished()
    {
        await using var harness = await ServerHarness.StartAsync();
        await harness.SubmitAsync(CachePipeline.Run("prepare"));
        var second = await harness.SubmitAsync(CachePipeline.Run("prepare"));

        var unfinished = await harness.User.ListRunsAsync(Workflows.RepoUrl);

        Assert.Contains(second.RunName, unfinished.Select(r => r.RunName));
        Assert.Equal(2, unfinished.Count);
    }

    [Fact]
    public async Task TwoConcurrentSubmissionsOfTheSameRequest_CreateOneSetOfJobs()
    {
        await using var harness = await ServerHarness.StartAsync();
        await harness.User.InitRepoAsync(new() { RepoUrl = Workflows.RepoUrl });

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => harness.User.SubmitRunAsync(CachePipeline.Run("train"))));

        Assert.Equal(3, CachePipeline.JobRows(harness));
        Assert.Single(runs.Select(r => string.Join(",", r.Jobs.Select(j => j.JobId))).Distinct());
        Assert.Equal(3, runs.Count(r => r.Jobs.All(j => j.Reused)));
        Assert.Single(runs, r => r.Jobs.All(j => !j.Reused));
    }

    [Fact]
    public async Task DependentsInAnotherRun_FailWhenTheAwaitedJobFails()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var first = await harness.SubmitAsync(CachePipeline.Run("prepare"));
        var second = await harness.SubmitAsync(CachePipeline.Run("train"));

        var lease = (await harness.LeaseAsync(runner))!;
        await harness.FinishAsync(lease, JobStatus.Failed, "exit code 2", 2);
        var after = (await harness.User.FindRunAsync(second.RunName))!.Jobs.ToDictionary(j => j.Workflow);

        Assert.Equal(first.Jobs[0].JobId, lease.JobId);
        Assert.True(after["prepare"].Reused);
        Assert.Equal(JobStatus.Failed, after["prepare"].Status);
        Assert.Equal((JobStatus.Failed, "dependency prepare failed"), (after["train"].Status, after["train"].Reason));
        Assert.Equal(JobStatus.Submitted, after["other"].Status);
    }

    [Fact]
    public async Task StopOfARun_LeavesTheJobItAwaitsFromAnotherRunAlone()
    {
        await using var harness = await ServerHarness.StartAsync();
        var first = await harness.SubmitAsync(CachePipeline.Run("prepare"));
        var second = await harness.SubmitAsync(CachePipeline.Run("train"));

        var result = await harness.User.StopRunAsync(second.RunName, new StopRequest());
        var after = (await harness.User.FindRunAsync(second.RunName))!.Jobs.ToDictionary(j => j.Workflow);

        Assert.DoesNotContain(first.Jobs[0].JobId, result.Changed);
        Assert.Equal(JobStatus.Submitted, after["prepare"].Status);
        Assert.Equal(JobStatus.Stopped, after["other"].Status);
        Assert.Equal(JobStatus.Stopped, after["train"].Status);
        Assert.Equal(JobStatus.Submitted, (await harness.User.FindRunAsync(first.RunName))!.Status);
    }

    [Fact]
    public async Task StopOfTheRunThatCreatedAnAwaitedJob_StopsItsDependentsInTheOtherRun_AndResumeRequeuesThem()
    {
        await using var harness = await ServerHarness.StartAsync();
        var first = await harness.SubmitAsync(CachePipeline.Run("prepare"));
        var second = await harness.SubmitAsync(CachePipeline.Run("train"));

        await harness.User.StopRunAsync(first.RunName, new StopRequest());
        var stopped = (await harness.User.FindRunAsync(second.RunName))!.Jobs.ToDictionary(j => j.Workflow);
        await harness.User.ResumeJobAsync(first.Jobs[0].JobId);
        var resumed = (await harness.User.FindRunAsync(second.RunName))!.Jobs.ToDictionary(j => j.Workflow);

        Assert.Equal(JobStatus.Stopped, stopped["prepare"].Status);
        Assert.Equal((JobStatus.Stopped, "dependency prepare was stopped"), (stopped["train"].Status, stopped["train"].Reason));
        Assert.Equal(JobStatus.Submitted, stopped["other"].Status);
        Assert.Equal(JobStatus.Submitted, resumed["prepare"].Status);
        Assert.Equal(JobStatus.Submitted, resumed["train"].Status);
        Assert.Equal("waiting for prepare, other", resumed["train"].Reason);
    }

    [Fact]
    public async Task LogsOfARun_HoldTheRecordsOfItsReusedJobs()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync(CachePipeline.Run("prepare"));
        await CachePipeline.CompleteAllAsync(harness, runner);
        var second = await harness.SubmitAsync(CachePipeline.Run("train"));
        await CachePipeline.CompleteAllAsync(harness, runner);

        var records = new List<string>();
        await foreach (var record in harness.User.StreamRunLogsAsync(second.RunName, since: null, follow: true)) records.Add(Encoding.UTF8.GetString(record.Data));

        Assert.True(second.Jobs[0].Reused);
        Assert.Equal(["prepare ran\n", "other ran\n", "train ran\n"], records);
    }

    [Fact]
    public async Task AJobOfAnotherWorkflow_WithTheSameDefinition_IsNotTaken()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        const string twins = """
            workflows:
              - name: a
                commands: [echo same]
              - name: b
                commands: [echo same]
            """;
        var a = await harness.SubmitAsync(Workflows.Run("a", workflows: twins, code: CachePipeline.Code));
        await CachePipeline.CompleteAllAsync(harness, runner);

        var b = await harness.SubmitAsync(Workflows.Run("b", workflows: twins, code: CachePipeline.Code));

        Assert.Equal(a.Jobs[0].CacheKey, b.Jobs[0].CacheKey);
        Assert.False(b.Jobs[0].Reused);
        Assert.Equal("b", b.Jobs[0].Workflow);
    }

    [Fact]
    public async Task Submit_WithoutACodeIdentity_IsRefused_SayingToUpdateTheClient()
    {
        await using var harness = await ServerHarness.StartAsync();

        var error = await Assert.ThrowsAsync<DstackApiException>(() => harness.SubmitAsync(CachePipeline.Run("other", Workflows.Code(""))));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("the run request has no code identity (the commit's tree): update the dstack command", error.Message);
    }
}
