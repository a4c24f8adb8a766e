using System.Runtime.InteropServices;

namespace Dstack.Runner.Execution;

/// <summary>Signals to process groups (.NET has no API for that on Linux) and the names of signals.</summary>
public static partial class PosixSignals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    private static readonly string[] Names =
    [
        "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
        "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",
        "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    /// <summary>Sends the signal to every process of the group; false when the group no longer exists.</summary>
    public static bool SignalGroup(int processGroupId, int signal) => processGroupId > 0 && Kill(-processGroupId, signal) == 0;

    /// <summary>Sends the signal to one process; false when it no longer exists.</summary>
    public static bool Signal(int pid, int signal) => pid > 0 && Kill(pid, signal) == 0;

    /// <summary>True while any process (a zombie included) is in the group.</summary>
    public static bool GroupExists(int processGroupId) => SignalGroup(processGroupId, 0);

    /// <summary>Bash reports a command killed by signal N as exit code 128+N: the signal's name, or null.</summary>
    public static string? NameFromExitCode(int exitCode)
    {
        var signal = exitCode - 128;
        return signal > 0 && signal < Names.Length ? Names[signal] : null;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Kill(int pid, int signal);
}
