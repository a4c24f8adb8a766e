using System.Net;
using Dstack.Contracts.Client;
using Dstack.Contracts.Jobs;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Runs;

public sealed class RunListingTests
{
    [Fact]
    public async Task List_ShowsUnfinishedRuns_OrElseTheLastFinishedOne_AndLastNWhateverTheirStatus()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var first = await harness.SubmitAsync("encode-dataset");
        await harness.FinishAsync((await harness.LeaseAsync(runner))!);
        var second = await harness.SubmitAsync("encode-dataset");
        var third = await harness.SubmitAsync("encode-dataset");
        await harness.SubmitAsync("encode-dataset", repoUrl: "https://example.com/another.git");

        var unfinished = await harness.User.ListRunsAsync(Workflows.RepoUrl);
        var secondLease = (await harness.LeaseAsync(runner))!;
        await harness.FinishAsync(secondLease, JobStatus.Failed, "exit code 1", 1);
        await harness.FinishAsync((await harness.LeaseAsync(runner))!);
        var afterAllFinished = await harness.User.ListRunsAsync(Workflows.RepoUrl);
        var lastTwo = await harness.User.ListRunsAsync(Workflows.RepoUrl, last: 2);
        var lastTen = await harness.User.ListRunsAsync(Workflows.RepoUrl, last: 10);

        Assert.Equal([second.RunName, third.RunName], unfinished.Select(r => r.RunName));
        Assert.Equal([third.RunName], afterAllFinished.Select(r => r.RunName));
        Assert.Equal(JobStatus.Done, afterAllFinished[0].Status);
        Assert.Equal([second.RunName, third.RunName], lastTwo.Select(r => r.RunName));
        Assert.Equal(JobStatus.Failed, lastTwo[0].Status);
        Assert.Equal([first.RunName, second.RunName, third.RunName], lastTen.Select(r => r.RunName));
    }

    [Fact]
    public async Task List_OfARepositoryWithoutRuns_IsEmpty_AndANonPositiveLastIsRefused()
    {
        await using var harness = await ServerHarness.StartAsync();

        Assert.Empty(await harness.User.ListRunsAsync(Workflows.RepoUrl));
        var error = await Assert.ThrowsAsync<DstackApiException>(() => harness.User.ListRunsAsync(Workflows.RepoUrl, last: 0));
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task ARunAskedForItsJobsNotDone_KeepsItsStatus_AndListsOnlyThoseJobs_AnyOtherFilterIsRefused()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var run = await harness.SubmitAsync("finetune-model");
        var first = (await harness.LeaseAsync(runner))!;
        await harness.FinishAsync(first);

        var going = (await harness.User.FindRunJobsNotDoneAsync(run.RunName))!;
        var second = (await harness.LeaseAsync(runner))!;
        await harness.FinishAsync(second, JobStatus.Failed, "exit code 1", 1);
        var failed = (await harness.User.FindRunJobsNotDoneAsync(run.RunName))!;

        Assert.Equal(JobStatus.Running, going.Status);
        Assert.Equal(run.Jobs.Select(j => j.JobId).Where(id => id != first.JobId), going.Jobs.Select(j => j.JobId));
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Equal([(second.JobId, JobStatus.Failed), (run.Jobs.Single(j => j.Workflow == "finetune-model").JobId, JobStatus.Failed)],
            failed.Jobs.Select(j => (j.JobId, j.Status)));
        using var http = new HttpClient { BaseAddress = harness.Server.Url };
        http.DefaultRequestHeaders.Authorization = new("Bearer", harness.Server.UserToken);
        var refused = await http.GetAsync($"/api/runs/{run.RunName}?jobs=done");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("jobs=not-done", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ARunWhoseJobsAllEndedDone_IsDone_WithNoJobNotDone_AndAnUnknownRunIsNotFound()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var run = await harness.SubmitAsync("finetune-model");
        var waiting = (await harness.User.FindRunJobsNotDoneAsync(run.RunName))!;
        for (var i = 0; i < run.Jobs.Count; i++) await harness.FinishAsync((await harness.LeaseAsync(runner))!);

        var done = (await harness.User.FindRunJobsNotDoneAsync(run.RunName))!;

        Assert.Equal(JobStatus.Submitted, waiting.Status);
        Assert.Equal(run.Jobs.Count, waiting.Jobs.Count);
        Assert.Equal(JobStatus.Done, done.Status);
        Assert.Empty(done.Jobs);
        Assert.Null(await harness.User.FindRunJobsNotDoneAsync("no-such-run-1"));
    }
}
