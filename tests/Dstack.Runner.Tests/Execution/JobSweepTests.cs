using System.Diagnostics;
using Dstack.Runner.Execution;
using Dstack.Runner.Tests.Support;

namespace Dstack.Runner.Tests.Execution;

public sealed class JobSweepTests : IDisposable
{
    private readonly List<Process> _started = [];

    private Process StartSleep(params (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo("sleep", "300") { UseShellExecute = false };
        foreach (var (name, value) in environment) info.Environment[name] = value;
        var process = Process.Start(info)!;
        _started.Add(process);
        return process;
    }

    [Fact]
    public async Task TheSweepKillsExactlyTheProcessesCarryingTheJobsMarker()
    {
        var mine = StartSleep(("DSTACK_JOB_ID", "c0ffee000001"), ("DSTACK_JOB_ATTEMPT", "2"));
        var otherAttempt = StartSleep(("DSTACK_JOB_ID", "c0ffee000001"), ("DSTACK_JOB_ATTEMPT", "1"));
        var longerId = StartSleep(("DSTACK_JOB_ID", "c0ffee0000011"), ("DSTACK_JOB_ATTEMPT", "2"));
        var unmarked = StartSleep();
        await Wait.UntilAsync(() => ProcessTable.HasEnvironmentEntries(longerId.Id, [[.. "DSTACK_JOB_ATTEMPT=2"u8]]), TimeSpan.FromSeconds(10), "the processes to start");

        var killed = await JobSweep.KillAsync(new JobMarker("c0ffee000001", 2), 0, 0);

        Assert.Equal([mine.Id], killed.Select(p => p.Pid));
        Assert.True(mine.WaitForExit(TimeSpan.FromSeconds(10)));
        Assert.True(Processes.IsRunning(otherAttempt.Id));
        Assert.True(Processes.IsRunning(longerId.Id));
        Assert.True(Processes.IsRunning(unmarked.Id));
    }

    [Fact]
    public void TheRunnerCanBecomeAChildSubreaper()
    {
        Assert.True(ChildSubreaper.Become());

        Assert.True(ChildSubreaper.IsSet);
    }

    public void Dispose()
    {
        foreach (var process in _started)
        {
            if (!process.HasExited) process.Kill();
            process.Dispose();
        }
    }
}
