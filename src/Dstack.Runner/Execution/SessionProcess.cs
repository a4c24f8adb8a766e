using System.Collections;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Dstack.Runner.Execution;

/// <summary>
/// A program started with posix_spawn in a session and process group of its own (its pid is both ids), every signal
/// at its default disposition and none blocked (the runner's .NET ignores SIGPIPE, which a child would otherwise
/// inherit), stdin from /dev/null, and stdout/stderr on pipes read as raw bytes. Replaces `setsid PROGRAM` through
/// .NET's Process: one exec fewer for every job. A waiting thread (<see cref="ExitWaiters"/>) reaps it, since .NET
/// only reaps the children it started.
/// </summary>
public sealed class SessionProcess : IDisposable
{
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SessionProcess(int pid, Stream standardOutput, Stream standardError)
    {
        Pid = pid;
        StandardOutput = standardOutput;
        StandardError = standardError;
        ExitWaiters.Wait(pid, code => _exited.TrySetResult(code));
    }

    /// <summary>The child's pid, which is also its session and process group id.</summary>
    public int Pid { get; }

    public Stream StandardOutput { get; }

    public Stream StandardError { get; }

    /// <summary>The exit code as a shell reports it: the program's own, or 128+N when signal N killed it.</summary>
    public Task<int> Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>False once posix_spawn_file_actions_addchdir_np turned out missing (glibc before 2.29).</summary>
    private static volatile bool s_spawnChangesFolder = true;

    /// <summary>
    /// Starts FILE (looked up in the runner's PATH) with ARGV in DIRECTORY, with the runner's environment less
    /// <paramref name="hidden"/>, plus <paramref name="environment"/>.
    /// </summary>
    /// <param name="folderByShell">
    /// Enter DIRECTORY through `/bin/sh -c 'cd DIRECTORY && exec FILE ARGS'` rather than by posix_spawn itself: what a
    /// glibc older than 2.29 gets (it lacks posix_spawn_file_actions_addchdir_np); tests ask for it to cover that path.
    /// </param>
    public static SessionProcess Start(
        string file, IReadOnlyList<string> argv, string directory, IEnumerable<string> hidden, IEnumerable<KeyValuePair<string, string>> environment,
        bool folderByShell = false)
    {
        if (!folderByShell && s_spawnChangesFolder)
        {
            try
            {
                return Spawn(file, argv, directory, hidden, environment, changeFolder: true);
            }
            catch (EntryPointNotFoundException)
            {
                s_spawnChangesFolder = false;
            }
        }
        // `cd` fails with sh's own message (on stderr, so in the job's log) and exit code 126 when the folder is gone.
        string[] wrapped = ["sh", "-c", "cd -- \"$1\" || exit 126; shift; exec \"$@\"", "sh", directory, file, .. argv.Skip(1)];
        return Spawn("/bin/sh", wrapped, directory, hidden, environment, changeFolder: false);
    }

    private static unsafe SessionProcess Spawn(
        string file, IReadOnlyList<string> argv, string directory, IEnumerable<string> hidden, IEnumerable<KeyValuePair<string, string>> environment,
        bool changeFolder)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && entry.Value is string value) variables[name] = value;
        }
        foreach (var name in hidden) variables.Remove(name);
        foreach (var (name, value) in environment) variables[name] = value;

        var output = stackalloc int[2];
        var error = stackalloc int[2];
        if (PosixSpawn.Pipe2(output, PosixSpawn.CloseOnExec) != 0) throw new IOException($"pipe2: {Marshal.GetLastPInvokeErrorMessage()}");
        if (PosixSpawn.Pipe2(error, PosixSpawn.CloseOnExec) != 0)
        {
            var message = Marshal.GetLastPInvokeErrorMessage();
            _ = PosixSpawn.Close(output[0]);
            _ = PosixSpawn.Close(output[1]);
            throw new IOException($"pipe2: {message}");
        }

        var strings = new List<nint>();
        var actions = NativeMemory.AllocZeroed(PosixSpawn.OpaqueSize);
        var attributes = NativeMemory.AllocZeroed(PosixSpawn.OpaqueSize);
        var signals = NativeMemory.AllocZeroed(PosixSpawn.OpaqueSize);
        var spawned = false;
        try
        {
            var args = new nint[argv.Count + 1];
            for (var i = 0; i < argv.Count; i++) strings.Add(args[i] = Marshal.StringToCoTaskMemUTF8(argv[i]));
            var envp = new nint[variables.Count + 1];
            var at = 0;
            foreach (var (name, value) in variables) strings.Add(envp[at++] = Marshal.StringToCoTaskMemUTF8($"{name}={value}"));

            Check(PosixSpawn.FileActionsInit(actions), "posix_spawn_file_actions_init");
            Check(PosixSpawn.AttributesInit(attributes), "posix_spawnattr_init");
            try
            {
                Check(PosixSpawn.FileActionsAddOpen(actions, 0, "/dev/null", PosixSpawn.ReadOnly, 0), "addopen /dev/null");
                Check(PosixSpawn.FileActionsAddDup2(actions, output[1], 1), "adddup2 stdout");
                Check(PosixSpawn.FileActionsAddDup2(actions, error[1], 2), "adddup2 stderr");
                if (changeFolder) Check(PosixSpawn.FileActionsAddChdir(actions, directory), "addchdir");
                Check(PosixSpawn.SignalSetFill(signals), "sigfillset");
                Check(PosixSpawn.AttributesSetSignalDefault(attributes, signals), "setsigdefault");
                Check(PosixSpawn.SignalSetEmpty(signals), "sigemptyset");
                Check(PosixSpawn.AttributesSetSignalMask(attributes, signals), "setsigmask");
                Check(PosixSpawn.AttributesSetFlags(attributes, PosixSpawn.SetSession | PosixSpawn.SetSignalDefault | PosixSpawn.SetSignalMask), "setflags");
                int pid;
                fixed (nint* argvPointer = args)
                fixed (nint* envpPointer = envp)
                {
                    var result = PosixSpawn.SpawnSearchingPath(&pid, file, actions, attributes, argvPointer, envpPointer);
                    if (result != 0) throw new IOException($"cannot start {file} in {directory}: {Marshal.GetPInvokeErrorMessage(result)}");
                }
                spawned = true;
                return new SessionProcess(pid, ReadEnd(output[0]), ReadEnd(error[0]));
            }
            finally
            {
                _ = PosixSpawn.FileActionsDestroy(actions);
                _ = PosixSpawn.AttributesDestroy(attributes);
            }
        }
        finally
        {
            foreach (var s in strings) Marshal.FreeCoTaskMem(s);
            NativeMemory.Free(actions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(signals);
            // The child has its own copies of the write ends; ours must go, or the reads would never see end-of-file.
            _ = PosixSpawn.Close(output[1]);
            _ = PosixSpawn.Close(error[1]);
            if (!spawned)
            {
                _ = PosixSpawn.Close(output[0]);
                _ = PosixSpawn.Close(error[0]);
            }
        }
    }

    private static void Check(int result, string what)
    {
        if (result != 0) throw new IOException($"{what}: {Marshal.GetPInvokeErrorMessage(result)}");
    }

    private static AnonymousPipeClientStream ReadEnd(int fd) => new(PipeDirection.In, new SafePipeHandle(fd, ownsHandle: true));

    public void Dispose()
    {
        StandardOutput.Dispose();
        StandardError.Dispose();
    }
}
