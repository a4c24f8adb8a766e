using System.Text;
using Dstack.Contracts.Logs;
using Dstack.Runner.Execution;
using Dstack.Runner.Logs;
using Dstack.Runner.Tests.Support;

namespace Dstack.Runner.Tests.Execution;

/// <summary>Graceful stop and abort of real job processes: SIGTERM to the group, the grace, SIGKILL, and the sweep of what left the group.</summary>
public sealed class JobStopTests : IDisposable
{
    private static readonly TimeSpan ShortGrace = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private static int _nextSlot;

    private readonly TempFolder _temp = new();
    private readonly List<IDisposable> _owned = [];

    public JobStopTests()
    {
        // As the runner does at start-up: orphans of the jobs come to this process, which reaps them.
        Assert.True(ChildSubreaper.Become());
    }

    private async Task<(JobProcess Process, string Spool)> StartAsync(params string[] commands)
    {
        var slot = Interlocked.Increment(ref _nextSlot);
        var spoolPath = _temp.Combine("spool", $"job-{slot}.log");
        var spool = LogSpool.Create(spoolPath);
        var script = JobScript.Write(_temp.Combine("scripts"), slot, commands);
        var process = JobProcess.Start(script, _temp.Path, new JobMarker($"job{slot:D9}", 1), new Dictionary<string, string>(), spool);
        _owned.Add(process);
        _owned.Add(spool);
        return (process, spoolPath);
    }

    private static string Stdout(string spool) => Encoding.UTF8.GetString(SpoolContent.Bytes(spool, LogStream.Stdout));

    private static Task UntilOutputAsync(string spool, string text) =>
        Wait.UntilAsync(() => Stdout(spool).Contains(text, StringComparison.Ordinal), Bound, $"'{text}' in the job's output");

    [Fact]
    public async Task AJobThatTrapsTerm_WritesItsLastLineAndExits_WithinTheGrace()
    {
        var (process, spool) = await StartAsync(
            "trap 'echo \"last line\"; exit 0' TERM",
            "echo started",
            "sleep 600 & wait $!");
        await UntilOutputAsync(spool, "started\n");

        var termination = await process.TerminateAsync(TimeSpan.FromSeconds(10), new TaskCompletionSource().Task, CancellationToken.None);
        var exit = await process.FinishAsync();

        Assert.Equal(TerminationKind.Exited, termination.Kind);
        Assert.True(termination.Elapsed < TimeSpan.FromSeconds(10));
        Assert.StartsWith("SIGTERM, exited in ", termination.Describe());
        Assert.Equal(0, exit.ExitCode);
        Assert.Equal("started\nlast line\n", Stdout(spool));
    }

    [Fact]
    public async Task AChildThatIgnoresTerm_IsKilledWithSigkillAfterTheGrace()
    {
        var pidFile = _temp.Combine("stubborn.pid");
        var (process, spool) = await StartAsync(
            $"bash -c 'trap \"\" TERM; echo $$ > {pidFile}; while true; do sleep 0.05; done' &",
            "echo started",
            "wait");
        var stubborn = await Processes.ReadPidFileAsync(pidFile, "the stubborn child to start");
        await UntilOutputAsync(spool, "started\n");

        var termination = await process.TerminateAsync(ShortGrace, new TaskCompletionSource().Task, CancellationToken.None);
        var exit = await process.FinishAsync();

        Assert.Equal(TerminationKind.KilledAfterGrace, termination.Kind);
        Assert.True(termination.Elapsed >= ShortGrace);
        Assert.Equal("killed with SIGKILL after the 0.5 s grace", termination.Describe());
        Assert.Equal("SIGTERM", exit.Signal); // bash itself did not ignore it
        Assert.False(Processes.IsRunning(stubborn));
    }

    [Fact]
    public async Task AGrandchildThatCalledSetsidItself_IsGoneAfterTheStop_AndReaped()
    {
        var pidFile = _temp.Combine("escaped.pid");
        var (process, spool) = await StartAsync(
            $"setsid sleep 300 & echo $! > {pidFile}",
            "echo started",
            "sleep 600 & wait $!");
        var escaped = await Processes.ReadPidFileAsync(pidFile, "the grandchild to start");
        await UntilOutputAsync(spool, "started\n");
        await Wait.UntilAsync(() => Processes.SessionOf(escaped) == escaped, Bound, "the grandchild to leave the job's session");

        var termination = await process.TerminateAsync(ShortGrace, new TaskCompletionSource().Task, CancellationToken.None);
        await process.FinishAsync();

        Assert.Equal(TerminationKind.Exited, termination.Kind); // the group was empty: the grandchild is not in it
        Assert.False(Processes.Exists(escaped)); // killed by the sweep, and reaped: not even a zombie is left
    }

    [Fact]
    public async Task AnAbortKillsEveryProcessAtOnce_WithoutWaitingForTheGrace()
    {
        var pidFile = _temp.Combine("escaped.pid");
        var (process, spool) = await StartAsync(
            "trap '' TERM",
            $"setsid sleep 300 & echo $! > {pidFile}",
            "echo started",
            "sleep 600");
        var escaped = await Processes.ReadPidFileAsync(pidFile, "the grandchild to start");
        await UntilOutputAsync(spool, "started\n");
        var abort = new TaskCompletionSource();

        var stopping = process.TerminateAsync(TimeSpan.FromMinutes(10), abort.Task, CancellationToken.None);
        abort.SetResult(); // an abort order while the graceful stop waits out its grace
        var termination = await stopping.WaitAsync(Bound);
        var exit = await process.FinishAsync();

        Assert.Equal(TerminationKind.Aborted, termination.Kind);
        Assert.Equal("SIGKILL", exit.Signal);
        Assert.False(Processes.Exists(escaped));
        Assert.False(Processes.IsRunning(process.ProcessGroupId));
    }

    [Fact]
    public async Task BackgroundProcessesLeftAfterANormalExit_AreSweptAway_EvenOutsideTheGroup()
    {
        var pidFile = _temp.Combine("daemon.pid");
        var (process, _) = await StartAsync($"setsid sleep 300 > /dev/null 2>&1 & echo $! > {pidFile}", "exit 0");

        var exit = await process.WaitAsync(CancellationToken.None);

        Assert.Equal(0, exit.ExitCode);
        var daemon = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(Processes.Exists(daemon)); // killed and reaped: not even a zombie is left
    }

    [Fact]
    public void TheReasonsSayWhatTheStopDid()
    {
        Assert.Equal("SIGTERM, exited in 1.2 s", new Termination(TerminationKind.Exited, TimeSpan.FromMilliseconds(1200), TimeSpan.FromSeconds(10)).Describe());
        Assert.Equal("killed with SIGKILL after the 10 s grace", new Termination(TerminationKind.KilledAfterGrace, TimeSpan.FromSeconds(10.02), TimeSpan.FromSeconds(10)).Describe());
        Assert.Equal("SIGKILL", new Termination(TerminationKind.Aborted, TimeSpan.Zero, TimeSpan.FromSeconds(10)).Describe());
    }

    public void Dispose()
    {
        foreach (var owned in _owned) owned.Dispose();
        _temp.Dispose();
    }
}
