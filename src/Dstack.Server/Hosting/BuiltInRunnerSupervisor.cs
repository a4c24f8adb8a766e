using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Dstack.Server.Hosting;

/// <summary>
/// Keeps the embedded server's built-in runner alive: a process of its own (`dstack runner --server-file`), started
/// through setsid so it has its own session and outlives a server crash (the next server finds it through
/// runner/runner.json and leaves it be: it reconnects by itself). Restarted when it exits while the server runs;
/// sent SIGTERM, and waited for, when the server stops cleanly.
/// </summary>
public sealed class BuiltInRunnerSupervisor : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan MinBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AdoptedCheckPeriod = TimeSpan.FromMilliseconds(500);
    private readonly ServerOptions _options;
    private readonly ServerFiles _files;
    private readonly string _runnerToken;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private Task _supervision = Task.CompletedTask;
    private volatile Process? _child;
    private volatile int _adoptedPid;

    public BuiltInRunnerSupervisor(ServerOptions options, ServerFiles files, string runnerToken, ILogger logger, TimeProvider time)
    {
        _options = options;
        _files = files;
        _runnerToken = runnerToken;
        _logger = logger;
        _time = time;
    }

    /// <summary>The runner's pid right now (started or adopted), 0 when none runs.</summary>
    public int RunnerPid => _child is { HasExited: false } child ? child.Id : _adoptedPid;

    public void Start() => _supervision = Task.Run(() => SuperviseAsync(_stopping.Token));

    private async Task SuperviseAsync(CancellationToken ct)
    {
        var backoff = MinBackoff;
        while (!ct.IsCancellationRequested)
        {
            var started = _time.GetUtcNow();
            try
            {
                if (RunnerStateFile.LiveRunnerPid(_files.RunnerState) is { } pid)
                {
                    _adoptedPid = pid;
                    _logger.LogInformation("built-in runner already running (pid {Pid}): it reconnects by itself", pid);
                    // Not our child, so no exit notification: look at /proc twice a second.
                    while (ProcessSignals.IsAlive(pid)) await Task.Delay(AdoptedCheckPeriod, _time, ct);
                    _adoptedPid = 0;
                }
                else
                {
                    // Not disposed on cancellation: DisposeAsync still needs it to stop the runner.
                    var child = StartRunner();
                    _child = child;
                    _logger.LogInformation("built-in runner started (pid {Pid}), output in {Log}", child.Id, _files.RunnerLog);
                    await child.WaitForExitAsync(ct);
                    _logger.LogWarning("built-in runner exited with code {Code}", child.ExitCode);
                    _child = null;
                    child.Dispose();
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
            {
                _logger.LogError("could not start the built-in runner: {Message}", e.Message);
            }
            // A runner that dies at once (bad binary, bad Home) must not be restarted in a tight loop: the delay doubles
            // while it keeps dying young, and starts over after a run that lasted.
            if (_time.GetUtcNow() - started > MaxBackoff) backoff = MinBackoff;
            try
            {
                await Task.Delay(backoff, _time, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
        }
    }

    private Process StartRunner()
    {
        Directory.CreateDirectory(_files.RunnerHome);
        var (executable, prefix) = RunnerExecutable();
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        // sh redirects the output to runner.log and execs setsid, which execs the runner: one pid all along, and no
        // pipe to this process, so the runner does not die of SIGPIPE when the server does.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec setsid \"$@\" >>\"$DSTACK_RUNNER_LOG\" 2>&1 </dev/null");
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add(executable);
        foreach (var argument in prefix) start.ArgumentList.Add(argument);
        foreach (var argument in new[] { "runner", "--home", _files.RunnerHome, "--server-file", _files.ServerState })
        {
            start.ArgumentList.Add(argument);
        }
        if (_options.RunnerSlots is { } slots)
        {
            start.ArgumentList.Add("--slots");
            start.ArgumentList.Add(slots.ToString(CultureInfo.InvariantCulture));
        }
        // The token goes in the environment, never on the command line where `ps` shows it to every user.
        start.Environment["DSTACK_RUNNER_TOKEN"] = _runnerToken;
        start.Environment["DSTACK_RUNNER_LOG"] = _files.RunnerLog;
        // Same machine, same user: the runner reads blobs from the store and moves finished artifacts into its inbox,
        // rather than sending every byte through HTTP (docs/adr/0009-artifacts-moved-into-the-store.md).
        start.Environment["DSTACK_RUNNER_BLOB_STORE"] = _files.Blobs;
        return Process.Start(start) ?? throw new IOException("the built-in runner did not start");
    }

    private (string Executable, string[] Prefix) RunnerExecutable()
    {
        if (_options.RunnerExecutable is { } configured) return (configured, []);
        var self = Environment.ProcessPath ?? throw new IOException("can't tell which executable to start the built-in runner with");
        // Under `dotnet dstack.dll` the process is the dotnet host: the runner is the same dll, run by the same host.
        var args = Environment.GetCommandLineArgs();
        return Path.GetFileNameWithoutExtension(self) == "dotnet" && args.Length > 0 && args[0].EndsWith(".dll", StringComparison.Ordinal)
            ? (self, [args[0]])
            : (self, []);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _supervision;
        var child = _child;
        var pid = child is { HasExited: false } ? child.Id : _adoptedPid;
        if (pid > 0 && ProcessSignals.IsAlive(pid))
        {
            ProcessSignals.Send(pid, ProcessSignals.SigTerm);
            if (!await WaitForExitAsync(child, pid, StopGrace))
            {
                _logger.LogWarning("built-in runner (pid {Pid}) ignored SIGTERM for {Grace}: killing it", pid, StopGrace);
                ProcessSignals.Send(pid, ProcessSignals.SigKill);
                await WaitForExitAsync(child, pid, TimeSpan.FromSeconds(5));
            }
        }
        child?.Dispose();
        _stopping.Dispose();
    }

    private async Task<bool> WaitForExitAsync(Process? child, int pid, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit, _time);
        try
        {
            if (child is not null && child.Id == pid)
            {
                await child.WaitForExitAsync(timeout.Token);
                return true;
            }
            while (ProcessSignals.IsAlive(pid)) await Task.Delay(TimeSpan.FromMilliseconds(50), _time, timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
