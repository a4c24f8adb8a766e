using Dstack.Contracts.Jobs;
using Dstack.Runner.Tests.Support;

namespace Dstack.Runner.Tests.Integration;

/// <summary>A runner the server took for lost comes back: it kills the jobs it still has and says nothing more about them.</summary>
public sealed class RunnerLossLoopTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly LoopHarness _loop = new() { RunnerTimeout = TimeSpan.FromSeconds(2) };

    public Task InitializeAsync() => _loop.StartServerAsync();

    public Task DisposeAsync() => _loop.DisposeAsync().AsTask();

    [Fact]
    public async Task ARunnerThatComesBackAfterItWasLost_KillsItsJob_AndLeavesItFailedAsRunnerLost()
    {
        var pidFile = _loop.Combine("job.pid");
        var escapedPid = _loop.Combine("escaped.pid");
        var run = await _loop.SubmitAsync($"workflows:\n  - name: w\n    commands:\n      - echo $$ > {pidFile}\n      - setsid sleep 300 & echo $! > {escapedPid}\n      - sleep 600\n", "w");
        _loop.StartRunner();
        var jobId = run.Jobs.Single().JobId;
        var pid = await Processes.ReadPidFileAsync(pidFile, "the job to start");
        var escaped = await Processes.ReadPidFileAsync(escapedPid, "the grandchild to start");
        await _loop.WaitForJobAsync(jobId, j => j.Status == JobStatus.Running, "RUNNING", Bound);

        // The server restarts where the runner cannot find it: the runner is silent for longer than the timeout.
        await _loop.Server.DisposeAsync();
        await _loop.StartServerAsync(publish: false);
        var lost = await _loop.WaitForJobAsync(jobId, j => j.Status == JobStatus.Failed, "FAILED", Bound);
        await _loop.PublishServerAsync();

        await Wait.UntilAsync(() => _loop.RunnerLog.Contains($"job {jobId} killed", StringComparison.Ordinal), Bound, "the runner to kill the job");
        await Wait.UntilAsync(() => !Processes.IsRunning(pid) && !Processes.IsRunning(escaped), Bound, "the job's processes to die");
        var after = (await _loop.User.FindJobAsync(jobId))!;
        Assert.Equal("runner lost", lost.Reason);
        Assert.Equal((JobStatus.Failed, "runner lost"), (after.Status, after.Reason));
    }
}
