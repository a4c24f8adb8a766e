using System.Diagnostics;
using Dstack.Contracts.Logs;
using Dstack.Runner.Logs;

namespace Dstack.Runner.Execution;

/// <summary>
/// A job's commands running as `setsid bash -eo pipefail SCRIPT`: in a session and process group of their
/// own (the group id is the bash pid), so the whole group can be signalled at once; every process of the job
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

    private readonly Process _process;
    private readonly Task _stdout;
    private readonly Task _stderr;
    private readonly List<ProcessEntry> _swept = []; // killed by a sweep, reaped by the next one that can wait

    private JobProcess(Process process, JobMarker marker, LogSpool spool)
    {
        _process = process;
        Marker = marker;
        StartTicks = ProcessStartTime.Read(process.Id) ?? 0;
        _stdout = PumpAsync(process.StandardOutput.BaseStream, LogStream.Stdout, spool);
        _stderr = PumpAsync(process.StandardError.BaseStream, LogStream.Stderr, spool);
    }

    /// <summary>The variables in the environment of every process of the job.</summary>
    public JobMarker Marker { get; }

    /// <summary>When the commands' process started (clock ticks since boot; 0 if it was already gone): no process of the job started earlier.</summary>
    public long StartTicks { get; }

    /// <summary>Process group id of the commands (the pid of their bash).</summary>
    public int ProcessGroupId => _process.Id;

    public static JobProcess Start(string script, string workDir, JobMarker marker, IReadOnlyDictionary<string, string> environment, LogSpool spool)
    {
        var info = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = workDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // -w: should setsid ever have to fork, it still waits, so the exit code is the script's.
        foreach (var argument in (string[])["-w", "bash", "-eo", "pipefail", script]) info.ArgumentList.Add(argument);
        foreach (var name in HiddenVariables) info.Environment.Remove(name);
        foreach (var (name, value) in environment) info.Environment[name] = value;
        foreach (var (name, value) in marker.Variables) info.Environment[name] = value; // set last: the job's environment cannot hide them

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start setsid");
        process.StandardInput.Close(); // the job reads end-of-file, as from /dev/null
        return new JobProcess(process, marker, spool);
    }

    /// <summary>Completes when the script's bash has exited (its children may still run).</summary>
    public Task WaitForExitAsync(CancellationToken ct) => _process.WaitForExitAsync(ct);

    /// <summary>
    /// Waits for the script to end, then kills what is left of the job (background children must not
    /// outlive it) and waits for the output to be drained into the spool.
    /// </summary>
    public async Task<ExitStatus> WaitAsync(CancellationToken ct)
    {
        try
        {
            await _process.WaitForExitAsync(ct);
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
        // The group does not exist yet when setsid has not run: then the signal goes to the process itself.
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
        await _process.WaitForExitAsync();
        PosixSignals.SignalGroup(ProcessGroupId, PosixSignals.SigKill);
        await SweepAsync();
        await DrainAsync();
        return new ExitStatus(_process.ExitCode);
    }

    /// <summary>SIGKILL to the whole group, to bash itself (in case setsid had not run yet) and to every marked process.</summary>
    public void Kill()
    {
        PosixSignals.SignalGroup(ProcessGroupId, PosixSignals.SigKill);
        try
        {
            if (!_process.HasExited) _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        lock (_swept) _swept.AddRange(JobSweep.Kill(Marker, _process.Id, ProcessGroupId, StartTicks));
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
            _swept.AddRange(JobSweep.Kill(Marker, _process.Id, ProcessGroupId, StartTicks));
            killed = [.. _swept];
            _swept.Clear();
        }
        await JobSweep.ReapAsync(killed, _process.Id, ProcessGroupId);
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
            _process.StandardOutput.BaseStream.Dispose();
            _process.StandardError.BaseStream.Dispose();
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
