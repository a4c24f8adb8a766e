using System.Runtime.InteropServices;
using Dstack.Cli.Terminal;

namespace Dstack.Cli.Hosting;

/// <summary>execvp(3): replaces this process with another program, keeping its pid, session and open stdin/stdout/stderr.</summary>
public static partial class ProcessImage
{
    /// <summary>Never returns: on success the program is gone; on failure it throws with the reason.</summary>
    public static void Replace(string file, IReadOnlyList<string> argv)
    {
        var pointers = new nint[argv.Count + 1];
        try
        {
            for (var i = 0; i < argv.Count; i++) pointers[i] = Marshal.StringToCoTaskMemUTF8(argv[i]);
            // Signals ignored here (.NET ignores SIGPIPE) stay ignored in dstackd, which is .NET too and ignores it anyway;
            // the jobs the runner starts get every signal at its default (SessionProcess).
            Execvp(file, pointers);
            var error = Marshal.GetLastPInvokeError();
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

}
