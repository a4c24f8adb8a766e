using System.Runtime.InteropServices;

namespace Dstack.Runner.Execution;

/// <summary>
/// posix_spawn(3) and the pieces around it (glibc 2.29+ on Linux): what <see cref="SessionProcess"/> needs that
/// .NET's Process cannot do, namely start the child in a session of its own (POSIX_SPAWN_SETSID) with every signal
/// back to its default disposition, without an extra `setsid` program in between.
/// </summary>
internal static unsafe partial class PosixSpawn
{
    public const short SetSignalDefault = 0x04; // POSIX_SPAWN_SETSIGDEF
    public const short SetSignalMask = 0x08;    // POSIX_SPAWN_SETSIGMASK
    public const short SetSession = 0x80;       // POSIX_SPAWN_SETSID
    public const int CloseOnExec = 0x80000;     // O_CLOEXEC
    public const int ReadOnly = 0;              // O_RDONLY
    public const int Interrupted = 4;           // EINTR

    /// <summary>
    /// Bytes reserved for posix_spawn_file_actions_t (80 in glibc), posix_spawnattr_t (336) and sigset_t (128):
    /// generously more, since the functions only touch their own structure.
    /// </summary>
    public const int OpaqueSize = 1024;

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int Pipe2(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int FileActionsInit(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int FileActionsDestroy(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int FileActionsAddDup2(void* actions, int fd, int newFd);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen", StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int FileActionsAddOpen(void* actions, int fd, string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addchdir_np", StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int FileActionsAddChdir(void* actions, string path);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int AttributesInit(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int AttributesDestroy(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int AttributesSetFlags(void* attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int AttributesSetSignalDefault(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int AttributesSetSignalMask(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "sigfillset")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int SignalSetFill(void* signals);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int SignalSetEmpty(void* signals);

    /// <summary>Returns 0 or the error number (posix_spawn does not use errno).</summary>
    [LibraryImport("libc", EntryPoint = "posix_spawnp", StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int SpawnSearchingPath(int* pid, string file, void* actions, void* attributes, nint* argv, nint* envp);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int WaitPid(int pid, int* status, int options);
}
