using Dstack.Cli.Stopping;
using Dstack.Cli.Terminal;
using Dstack.Contracts.Jobs;
using static Dstack.Cli.Tests.Support.SampleJobs;

namespace Dstack.Cli.Tests.Stopping;

/// <summary>The --wait loop, over job states scripted in the order the server would show them.</summary>
public class StopWaiterTests
{
    private static readonly TimeSpan NoPause = TimeSpan.Zero;

    /// <summary>Answers each job's successive states, then keeps answering its last one.</summary>
    private static Func<string, CancellationToken, Task<JobInfo?>> Script(Dictionary<string, JobStatus[]> states, List<string> asked)
    {
        var calls = new Dictionary<string, int>(StringComparer.Ordinal);
        return (id, _) =>
        {
            asked.Add(id);
            if (!states.TryGetValue(id, out var sequence)) return Task.FromResult<JobInfo?>(null);
            var n = calls.GetValueOrDefault(id);
            calls[id] = n + 1;
            return Task.FromResult<JobInfo?>(Job(id, id == Download ? "download-model" : "finetune-model", sequence[Math.Min(n, sequence.Length - 1)]));
        };
    }

    [Fact]
    public async Task EachJobIsReported_OnceItHasFinished_AndTheWaitEndsWhenAllHave()
    {
        var asked = new List<string>();
        var find = Script(new()
        {
            [Download] = [JobStatus.Stopping, JobStatus.Stopping, JobStatus.Stopped],
            [Finetune] = [JobStatus.Aborted],
        }, asked);
        var finished = new List<string>();

        var left = await new StopWaiter(find, TimeProvider.System, NoPause).WaitAsync(
            [Job(Download, "download-model", JobStatus.Stopping), Job(Finetune, "finetune-model", JobStatus.Aborting)],
            TimeSpan.FromMinutes(1), j => { finished.Add($"{j.JobId} {j.Status.ToDisplay()}"); return Task.CompletedTask; }, default);

        Assert.Empty(left);
        Assert.Equal([$"{Finetune} ABORTED", $"{Download} STOPPED"], finished);
        // A finished job is not asked about again.
        Assert.Equal([Download, Finetune, Download, Download], asked);
    }

    [Fact]
    public async Task AtTheBound_TheJobsStillUnfinishedAreReturnedAsLastSeen()
    {
        var find = Script(new() { [Download] = [JobStatus.Stopping] }, []);

        var left = await new StopWaiter(find, TimeProvider.System, NoPause).WaitAsync(
            [Job(Download, "download-model", JobStatus.Running)], TimeSpan.Zero, _ => Task.CompletedTask, default);

        Assert.Equal(JobStatus.Stopping, Assert.Single(left).Status);
    }

    [Fact]
    public async Task AJobThatDisappears_IsAClearError()
    {
        var find = Script([], []);

        var e = await Assert.ThrowsAsync<CliException>(() => new StopWaiter(find, TimeProvider.System, NoPause).WaitAsync(
            [Job(Download, "download-model", JobStatus.Stopping)], TimeSpan.FromMinutes(1), _ => Task.CompletedTask, default));

        Assert.Equal("job 53881a211647 (download-model) is no longer on the server", e.Message);
    }

    [Fact]
    public async Task NothingToWaitFor_EndsAtOnce()
    {
        var asked = new List<string>();

        var left = await new StopWaiter(Script([], asked), TimeProvider.System, TimeSpan.FromHours(1)).WaitAsync([], TimeSpan.FromHours(1), _ => Task.CompletedTask, default);

        Assert.Empty(left);
        Assert.Empty(asked);
    }

    [Theory]
    [InlineData(false, null, 70)]
    [InlineData(false, 3, 63)]
    [InlineData(false, 0, 60)]
    [InlineData(true, null, 60)]
    public void TheBound_IsTheGracePlusAMinuteForTheLastLogsAndTheUpload(bool abort, int? grace, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), StopWaiter.Bound(abort, grace));
}
