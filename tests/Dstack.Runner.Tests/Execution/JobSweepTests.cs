using System.Diagnostics;
using System.Globalization;
using Dstack.Runner.Execution;
using Dstack.Runner.Tests.Support;

namespace Dstack.Runner.Tests.Execution;

public sealed class JobSweepTests : IDisposable
{
    private readonly List<int> _started = [];

    /// <summary>
    /// A `sleep` whose parent has exited, as a job's daemon would be: not a child .NET started (reaping one of
    /// those behind Process's back would crash the runtime), so the sweep may reap it once adopted.
    /// </summary>
    private int StartOrphanSleep(params (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo("sh", ["-c", "sleep 300 > /dev/null 2>&1 & echo $!"]) { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var (name, value) in environment) info.Environment[name] = value;
        using var shell = Process.Start(info)!;
        var pid = int.Parse(shell.StandardOutput.ReadLine()!, CultureInfo.InvariantCulture);
        shell.WaitForExit();
        _started.Add(pid);
        return pid;
    }

    [Fact]
    public async Task TheSweepKillsExactlyTheProcessesCarryingTheJobsMarker()
    {
        var mine = StartOrphanSleep(("DSTACK_JOB_ID", "c0ffee000001"), ("DSTACK_JOB_ATTEMPT", "2"));
        var otherAttempt = StartOrphanSleep(("DSTACK_JOB_ID", "c0ffee000001"), ("DSTACK_JOB_ATTEMPT", "1"));
        var longerId = StartOrphanSleep(("DSTACK_JOB_ID", "c0ffee0000011"), ("DSTACK_JOB_ATTEMPT", "2"));
        var unmarked = StartOrphanSleep();
        await Wait.UntilAsync(() => ProcessTable.HasEnvironmentEntries(longerId, [[.. "DSTACK_JOB_ATTEMPT=2"u8]]), TimeSpan.FromSeconds(10), "the processes to start");

        var killed = await JobSweep.KillAsync(new JobMarker("c0ffee000001", 2), 0, 0, 0);

        Assert.Equal([mine], killed.Select(p => p.Pid));
        await Wait.UntilAsync(() => !Processes.IsRunning(mine), TimeSpan.FromSeconds(10), "the job's process to die");
        Assert.True(Processes.IsRunning(otherAttempt));
        Assert.True(Processes.IsRunning(longerId));
        Assert.True(Processes.IsRunning(unmarked));
    }

    [Fact]
    public async Task GivenTheJobsStartTimeTheSweepStillKillsWhatTheJobStartedSince()
    {
        var mine = StartOrphanSleep(("DSTACK_JOB_ID", "c0ffee000002"), ("DSTACK_JOB_ATTEMPT", "1"));
        var started = ProcessStartTime.Read(mine)!.Value;
        await Wait.UntilAsync(() => ProcessTable.HasEnvironmentEntries(mine, [[.. "DSTACK_JOB_ID=c0ffee000002"u8]]), TimeSpan.FromSeconds(10), "the process to start");

        var killed = await JobSweep.KillAsync(new JobMarker("c0ffee000002", 1), 0, 0, started);

        Assert.Equal([mine], killed.Select(p => p.Pid));
        await Wait.UntilAsync(() => !Processes.IsRunning(mine), TimeSpan.FromSeconds(10), "the job's process to die");
    }

    [Fact]
    public async Task AsASubreaper_TheSweepFindsAnOrphanOfTheJobAmongItsOwnDescendants()
    {
        Assert.True(ChildSubreaper.Become()); // as the runner is: the orphan below is adopted by this process
        var mine = StartOrphanSleep(("DSTACK_JOB_ID", "c0ffee000003"), ("DSTACK_JOB_ATTEMPT", "1"));
        await Wait.UntilAsync(() => ProcessTable.Read(mine)?.ParentPid == Environment.ProcessId, TimeSpan.FromSeconds(10), "the orphan to be adopted");

        // A leader pid (gone) makes the sweep look only below this process.
        var killed = await JobSweep.KillAsync(new JobMarker("c0ffee000003", 1), int.MaxValue, 0, 0);

        Assert.Equal([mine], killed.Select(p => p.Pid));
        await Wait.UntilAsync(() => !Processes.IsRunning(mine), TimeSpan.FromSeconds(10), "the job's process to die");
    }

    [Fact]
    public void TheRunnerCanBecomeAChildSubreaper()
    {
        Assert.True(ChildSubreaper.Become());

        Assert.True(ChildSubreaper.IsSet);
    }

    public void Dispose()
    {
        foreach (var pid in _started) PosixSignals.Signal(pid, PosixSignals.SigKill);
        // Adopted by this (subreaper) test process or by init; a sweep-like reap keeps no zombie here.
        JobSweep.ReapAsync(_started.Select(ProcessTable.Read).OfType<ProcessEntry>().ToList(), 0, 0).GetAwaiter().GetResult();
    }
}
