using System.Diagnostics;
using Dstack.Contracts.Logs;
using Dstack.Runner.Logs;

namespace Dstack.Runner.Execution;

/// <summary>
/// A job's commands running as `setsid bash -eo pipefail SCRIPT`: in a session and process group of their
/// own (the group id is the bash pid), so the whole group can be killed at once. Output is read as raw
/// bytes, each read becoming one spool record: no decoding, no line splitting.
/// </summary>
public sealed class JobProcess : IDisposable
{
    private const int ReadBufferSize = 1 << 16;

    /// <summary>Variables of the runner that a job must not see.</summary>
    private static readonly string[] HiddenVariables = ["DSTACK_RUNNER_TOKEN", "DSTACK_TOKEN"];

    private readonly Process _process;
    private readonly Task _stdout;
    private readonly Task _stderr;

    private JobProcess(Process process, LogSpool spool)
    {
        _process = process;
        _stdout = PumpAsync(process.StandardOutput.BaseStream, LogStream.Stdout, spool);
        _stderr = PumpAsync(process.StandardError.BaseStream, LogStream.Stderr, spool);
    }

    /// <summary>Process group id of the commands (the pid of their bash).</summary>
    public int ProcessGroupId => _process.Id;

    public static JobProcess Start(string script, string workDir, IReadOnlyDictionary<string, string> environment, LogSpool spool)
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

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start setsid");
        process.StandardInput.Close(); // the job reads end-of-file, as from /dev/null
        return new JobProcess(process, spool);
    }

    /// <summary>
    /// Waits for the script to end, then kills what is left of its group (background children must not
    /// outlive the job) and waits for the output to be drained into the spool.
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
        Kill();
        await DrainAsync();
        return new ExitStatus(_process.ExitCode);
    }

    /// <summary>SIGKILL to the whole group (and to bash itself, in case setsid had not run yet).</summary>
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
    }

    /// <summary>Kills the group and waits (briefly) for the output it wrote to reach the spool.</summary>
    public async Task KillAndDrainAsync()
    {
        Kill();
        await DrainAsync();
    }

    private async Task DrainAsync()
    {
        // A grandchild that started a session of its own escapes the group kill and may hold the pipes
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
