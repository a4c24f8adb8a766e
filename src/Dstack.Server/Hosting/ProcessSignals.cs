using System.Runtime.InteropServices;
using Dstack.Contracts.Server;

namespace Dstack.Server.Hosting;

/// <summary>kill(2): .NET can only SIGKILL a process; the built-in runner deserves a SIGTERM to finish cleanly.</summary>
public static partial class ProcessSignals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;

    /// <summary>Whether the process exists and is not a zombie (an exited child nobody has reaped yet).</summary>
    public static bool IsAlive(int pid) =>
        // Where /proc does not say (not readable), whether a signal could reach it.
        pid > 0 && (ProcStat.Read(pid) is { } stat ? !stat.HasExited : Kill(pid, 0) == 0);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
