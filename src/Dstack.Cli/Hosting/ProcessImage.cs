using System.Runtime.InteropServices;
using Dstack.Cli.Terminal;

namespace Dstack.Cli.Hosting;

/// <summary>execvp(3): replaces this process with another program, keeping its pid, session and open stdin/stdout/stderr.</summary>
public static partial class ProcessImage
{
    private const int SigPipe = 13;
    private static readonly nint SigDefault = 0;

    /// <summary>Never returns: on success the program is gone; on failure it throws with the reason.</summary>
    public static void Replace(string file, IReadOnlyList<string> argv)
    {
        var pointers = new nint[argv.Count + 1];
        try
        {
            for (var i = 0; i < argv.Count; i++) pointers[i] = Marshal.StringToCoTaskMemUTF8(argv[i]);
            // .NET ignores SIGPIPE, and an ignored signal stays ignored across exec: put the default back, or every
            // job the runner starts would inherit it (`yes | head` would then print "Broken pipe" errors).
            var previous = Signal(SigPipe, SigDefault);
            Execvp(file, pointers);
            var error = Marshal.GetLastPInvokeError();
            _ = Signal(SigPipe, previous);
            throw new CliException($"cannot start {file}: {Marshal.GetPInvokeErrorMessage(error)}");
        }
        finally
        {
            foreach (var pointer in pointers) Marshal.FreeCoTaskMem(pointer);
        }
    }

    [LibraryImport("libc", EntryPoint = "execvp", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Execvp(string file, nint[] argv);

    [LibraryImport("libc", EntryPoint = "signal")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial nint Signal(int signal, nint handler);
}
