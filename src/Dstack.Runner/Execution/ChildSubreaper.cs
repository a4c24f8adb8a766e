using System.Runtime.InteropServices;

namespace Dstack.Runner.Execution;

/// <summary>
/// Makes the runner a child subreaper (prctl PR_SET_CHILD_SUBREAPER): a job's process that is orphaned
/// (its parent died, or it daemonized with setsid) is re-parented to the runner instead of to init, so it
/// stays where the runner can find it, kill it and reap it. The runner must then reap those adopted
/// children itself: .NET reaps only the children it started.
/// </summary>
public static partial class ChildSubreaper
{
    private const int PrSetChildSubreaper = 36;
    private const int PrGetChildSubreaper = 37;
    private const int WaitNoHang = 1;

    /// <summary>Marks this process as a subreaper; false (with errno) where the kernel refuses (not Linux 3.4+).</summary>
    public static bool Become() => Prctl(PrSetChildSubreaper, 1, 0, 0, 0) == 0;

    public static unsafe bool IsSet
    {
        get
        {
            int value = 0;
            return Prctl(PrGetChildSubreaper, (nuint)(&value), 0, 0, 0) == 0 && value != 0;
        }
    }

    /// <summary>
    /// Reaps an adopted child that has exited. Only for pids that are not .NET's own children (those found
    /// through a job sweep): reaping a child that .NET started would steal its exit status from Process.
    /// True when it was reaped (or was not our child any more), false while it still runs.
    /// </summary>
    public static bool TryReap(int pid)
    {
        var result = WaitPid(pid, out _, WaitNoHang);
        return result != 0;
    }

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int WaitPid(int pid, out int status, int options);
}
