using System.Diagnostics;
using Dstack.Contracts.Logs;
using Dstack.Runner.Logs;

namespace Dstack.Runner.Execution;

/// <summary>
/// A job's commands running as `bash -eo pipefail SCRIPT` started in a session and process group of their
/// own (<see cref="SessionProcess"/>; the group id is the bash pid), so the whole group can be signalled at once; every process of the job
/// also carries the job's <see cref="JobMarker"/> in its environment, so the ones that leave the group are found by
/// <see cref="JobSweep"/>. Output is read as raw bytes, each read becoming one spool record: no decoding,
/// no line splitting.
/// </summary>
public sealed class JobProcess : IDisposable
{
    private const int ReadBufferSize = 1 << 16;
    private static readonly TimeSpan GroupPollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Variables of the runner that a job must not see: its secrets, and its own settings, which a `dstack runner`
    /// started by the job would otherwise take as its own (the outer store, the outer log).
    /// </summary>
    private static readonly string[] HiddenVariables = ["DSTACK_RUNNER_TOKEN", "DSTACK_TOKEN", "DSTACK_RUNNER_BLOB_STORE", "DSTACK_RUNNER_LOG"];

    /// <summary>bash, looked up once in the runner's PATH rather than by every job's spawn (an execve per PATH entry).</summary>
    private static readonly Lazy<string> Bash = new(() => ExecutableSearch.Find("bash") ?? "bash");

    private readonly SessionProcess _process;
    private readonly Task _stdout;
    private readonly Task _stderr;
    private readonly List<ProcessEntry> _swept = []; // killed by a sweep, reaped by the next one that can wait
    // The script had ended and a sweep after it found no process of the job: none is left to start another, so a later
    // Kill only signals the group again and does not read the process table once more (it runs after every job, and the
    // sweep reads the children of each of the runner's threads).
    private volatile bool _sweptClean;

    private JobProcess(SessionProcess process, JobMarker marker, LogSpool spool)
    {
        _process = process;
        Marker = marker;
        StartTicks = ProcessStartTime.Read(process.Pid) ?? 0;
        _stdout = PumpAsync(process.StandardOutput, LogStream.Stdout, spool);
        _stderr = PumpAsync(process.StandardError, LogStream.Stderr, spool);
    }

    /// <summary>The variables in the environment of every process of the job.</summary>
    public JobMarker Marker { get; }

    /// <summary>When the commands' process started (clock ticks since boot; 0 if it was already gone): no process of the job started earlier.</summary>
    public long StartTicks { get; }

    /// <summary>Process group id of the commands (the pid of their bash).</summary>
    public int ProcessGroupId => _process.Pid;

    public static JobProcess Start(string script, string workDir, JobMarker marker, IReadOnlyDictionary<string, string> environment, LogSpool spool)
    {
        // The marker is set last: the job's environment cannot hide it. Stdin is /dev/null: the job reads end-of-file.
        var process = SessionProcess.Start(Bash.Value, ["bash", "-eo", "pipefail", script], workDir, HiddenVariables, [.. environment, .. marker.Variables]);
        return new JobProcess(process, marker, spool);
    }

    /// <summary>Completes when the script's bash has exited (its children may still run).</summary>
    public Task WaitForExitAsync(CancellationToken ct) => _process.Exited.WaitAsync(ct);

    /// <summary>
    /// Waits for the script to end, then kills what is left of the job (background children must not
    /// outlive it) and waits for the output to be drained into the spool.
    /// </summary>
    public async Task<ExitStatus> WaitAsync(CancellationToken ct)
    {
        try
        {
            await _process.Exited.WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw;
        }
        return await FinishAsync();
    }

    /// <summary>
    /// Graceful stop: SIGTERM to the group, then up to <paramref name="grace"/> for every process of the group
    /// to end, then SIGKILL. An abort (<paramref name="abort"/> completes) cuts the grace short with SIGKILL.
    /// Call <see cref="FinishAsync"/> afterwards for the exit status and the clean-up of processes outside the group.
    /// </summary>
    public async Task<Termination> TerminateAsync(TimeSpan grace, Task abort, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        if (abort.IsCompleted) return Abort(clock, grace);
        // The group exists from the start (posix_spawn returns after the child's setsid and exec); should it be gone,
        // the signal goes to the process itself.
        if (!PosixSignals.SignalGroup(ProcessGroupId, PosixSignals.SigTerm)) PosixSignals.Signal(ProcessGroupId, PosixSignals.SigTerm);
        while (GroupHasLiveMembers())
        {
            if (ct.IsCancellationRequested)
            {
                Kill();
                ct.ThrowIfCancellationRequested();
            }
            if (abort.IsCompleted) return Abort(clock, grace);
            var left = grace - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                PosixSignals.SignalGroup(ProcessGroupId, PosixSignals.SigKill);
                return new Termination(TerminationKind.KilledAfterGrace, clock.Elapsed, grace);
            }
            await Task.WhenAny(abort, Task.Delay(left < GroupPollInterval ? left : GroupPollInterval, ct));
        }
        return new Termination(TerminationKind.Exited, clock.Elapsed, grace);
    }

    /// <summary>Abort: SIGKILL to the group and to every marked process at once.</summary>
    private Termination Abort(Stopwatch clock, TimeSpan grace)
    {
        Kill();
        return new Termination(TerminationKind.Aborted, clock.Elapsed, grace);
    }

    /// <summary>After the script ended (by itself or by a signal): kills and reaps every process of the job left, drains the output.</summary>
    public async Task<ExitStatus> FinishAsync()
    {
        var exitCode = await _process.Exited;
        PosixSignals.SignalGroup(ProcessGroupId, PosixSignals.SigKill);
        await SweepAsync();
        await DrainAsync();
        return new ExitStatus(exitCode);
    }

    /// <summary>SIGKILL to the whole group, to bash itself (should it have left its group) and to every marked process.</summary>
    public void Kill()
    {
        PosixSignals.SignalGroup(ProcessGroupId, PosixSignals.SigKill);
        if (_sweptClean) return;
        // Until it is reaped (which completes Exited), the pid is still bash's, never another process's.
        if (!_process.HasExited) PosixSignals.Signal(_process.Pid, PosixSignals.SigKill);
        lock (_swept) _swept.AddRange(JobSweep.Kill(Marker, _process.Pid, ProcessGroupId, StartTicks));
    }

    /// <summary>Kills every process of the job, reaps the adopted ones, and waits (briefly) for the output to reach the spool.</summary>
    public async Task KillAndDrainAsync()
    {
        Kill();
        await SweepAsync();
        await DrainAsync();
    }

    /// <summary>Kills what carries the job's marker now, and reaps it along with what earlier sweeps killed.</summary>
    private async Task SweepAsync()
    {
        List<ProcessEntry> killed;
        lock (_swept)
        {
            var found = JobSweep.Kill(Marker, _process.Pid, ProcessGroupId, StartTicks);
            if (found.Count == 0 && _process.HasExited) _sweptClean = true;
            _swept.AddRange(found);
            killed = [.. _swept];
            _swept.Clear();
        }
        await JobSweep.ReapAsync(killed, _process.Pid, ProcessGroupId);
    }

    /// <summary>True while a process of the group has not exited (zombies, which have, do not count).</summary>
    private bool GroupHasLiveMembers() =>
        PosixSignals.GroupExists(ProcessGroupId) && ProcessTable.All().Any(p => p.GroupId == ProcessGroupId && !p.IsZombie);

    private async Task DrainAsync()
    {
        // A process that cleared its environment and left the group escapes both kills and may hold the pipes
        // open: don't wait for it forever.
        var drained = Task.WhenAll(_stdout, _stderr);
        if (await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(5))) != drained)
        {
            _process.StandardOutput.Dispose();
            _process.StandardError.Dispose();
        }
    }

    private static async Task PumpAsync(Stream output, LogStream stream, LogSpool spool)
    {
        var buffer = new byte[ReadBufferSize];
        try
        {
            int read;
            while ((read = await output.ReadAsync(buffer)) > 0)
            {
                spool.Append(stream, DateTimeOffset.UtcNow, buffer.AsSpan(0, read));
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or IOException or InvalidOperationException)
        {
            // pipe closed under us (see DrainAsync) or the spool closed after a shutdown
        }
    }

    public void Dispose() => _process.Dispose();
}
