using System.Diagnostics;
using Dstack.Contracts.Server;

namespace Dstack.Cli.Connection;

/// <summary>Whether a pid names a live process. A zombie (exited, not yet reaped) counts as gone.</summary>
public static class ProcessLiveness
{
    public static bool IsAlive(int pid)
    {
        if (pid <= 0) return false;
        if (OperatingSystem.IsLinux()) return ProcStat.Read(pid) is { HasExited: false };
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    /// <summary>Polls until the process is gone or the timeout passes; true when it is gone.</summary>
    public static async Task<bool> WaitForExitAsync(int pid, TimeSpan timeout, CancellationToken ct = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (IsAlive(pid))
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(50, ct);
        }
        return true;
    }
}
