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
}
