using System.Net;
using Dstack.Contracts.Client;
using Dstack.Contracts.Jobs;
using Dstack.Core.Caching;
using Dstack.Server.Tests.Caching;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Runs;

public sealed class TagDependencyTests
{
    [Fact]
    public async Task TagDependency_WaitsForTheTaggedRunsJob_AndGetsItsArtifacts_AndItsKeyEntersTheDependentsKey()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var tagged = await harness.SubmitAsync(CachePipeline.Run("prepare"));
        StateDb.Tag(harness, tagged.RunName, "best");

        var run = await harness.SubmitAsync(CachePipeline.Run("from-best"));
        var waiting = (await harness.User.FindRunAsync(run.RunName))!.Jobs.Single();
        await CachePipeline.CompleteNextAsync(harness, runner);
        var lease = (await harness.LeaseAsync(runner))!;

        var job = Assert.Single(run.Jobs);
        Assert.Equal("from-best", job.Workflow);
        Assert.False(job.Reused);
        Assert.Equal([tagged.Jobs[0].JobId], job.DependsOn);
        Assert.Equal("waiting for prepare", waiting.Reason);
        Assert.Equal(job.JobId, lease.JobId);
        var dependency = Assert.Single(lease.Spec.Dependencies);
        Assert.Equal((tagged.Jobs[0].JobId, "prepare"), (dependency.JobId, dependency.Workflow));
        Assert.Single(dependency.Files);
        var parts = CacheKeyDocument.Read((string)StateDb.Scalar(harness, "SELECT cache_parts FROM jobs WHERE id = @id", ("@id", job.JobId))!)!;
        Assert.Equal(tagged.Jobs[0].CacheKey, parts.Dependencies["prepare:best"]);
    }

    [Fact]
    public async Task TagDependency_OnARunWithoutThatWorkflow_IsRefused_NamingTheRun()
    {
        await using var harness = await ServerHarness.StartAsync();
        var tagged = await harness.SubmitAsync(CachePipeline.Run("other"));
        StateDb.Tag(harness, tagged.RunName, "best");

        var error = await Assert.ThrowsAsync<DstackApiException>(() => harness.SubmitAsync(CachePipeline.Run("from-best")));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(
            $"workflow from-best depends on prepare:best, but run {tagged.RunName} (tagged best) has no job of workflow prepare: tag a run that ran prepare",
            error.Message);
    }

    [Theory]
    [InlineData(JobStatus.Failed)]
    [InlineData(JobStatus.Stopped)]
    public async Task TagDependency_OnAJobThatEndedWithoutDone_IsRefused_WithItsStatus(JobStatus status)
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var tagged = await harness.SubmitAsync(CachePipeline.Run("prepare"));
        if (status == JobStatus.Failed) await harness.FinishAsync((await harness.LeaseAsync(runner))!, JobStatus.Failed, "exit code 1", 1);
        else await harness.User.StopRunAsync(tagged.RunName, new StopRequest());
        StateDb.Tag(harness, tagged.RunName, "best");

        var error = await Assert.ThrowsAsync<DstackApiException>(() => harness.SubmitAsync(CachePipeline.Run("from-best")));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(
            $"workflow from-best depends on prepare:best, but job {tagged.Jobs[0].JobId} of prepare in run {tagged.RunName} (tagged best) is {status.ToDisplay()}: "
            + "its artifacts will never be complete; tag a run whose prepare job is DONE",
            error.Message);
        Assert.Equal(1, CachePipeline.JobRows(harness));
    }

    [Fact]
    public async Task TagDependency_OutsideTheRunsClosure_DoesNotMatter()
    {
        await using var harness = await ServerHarness.StartAsync();

        var run = await harness.SubmitAsync(CachePipeline.Run("train"));

        Assert.Equal(3, run.Jobs.Count);
    }
}
