using System.Runtime.InteropServices;

namespace Dstack.Runner.Execution;

/// <summary>
/// Reads a small /proc file into a caller's buffer with plain open/read/close: the sweep after every job reads the
/// stat file of every process, and FileStream's checks and buffers cost more than the read itself there.
/// </summary>
public static partial class ProcFile
{
    private const int ReadOnly = 0;
    private const int CloseOnExec = 0x80000;

    /// <summary>The number of bytes read (the file may be longer than the buffer), or -1 when it cannot be opened or read (the process is gone).</summary>
    public static int Read(string path, Span<byte> buffer)
    {
        var fd = Open(path, ReadOnly | CloseOnExec);
        if (fd < 0) return -1;
        try
        {
            var total = 0;
            while (total < buffer.Length)
            {
                int read;
                unsafe
                {
                    fixed (byte* start = buffer[total..]) read = (int)ReadBytes(fd, start, (nuint)(buffer.Length - total));
                }
                if (read < 0) return -1;
                if (read == 0) break;
                total += read;
            }
            return total;
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "read")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static unsafe partial nint ReadBytes(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Close(int fd);
}
