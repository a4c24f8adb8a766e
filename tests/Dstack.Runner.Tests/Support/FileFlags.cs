using System.Diagnostics;
using System.Globalization;

namespace Dstack.Runner.Tests.Support;

/// <summary>A folder's inode flags (what `lsattr -d` shows), read by python3's ioctl rather than by the code under test.</summary>
public static class FileFlags
{
    public const int TopDirectory = 0x00020000;

    /// <summary>The flags; null where the file system has none (tmpfs, overlayfs without support).</summary>
    public static int? Read(string path)
    {
        const string script = "import fcntl, os, struct, sys\n"
            + "fd = os.open(sys.argv[1], os.O_RDONLY)\n"
            + "print(struct.unpack('i', fcntl.ioctl(fd, 0x80086601, bytes(8))[:4])[0])\n";
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", script, path }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode == 0) return int.Parse(output.Trim(), CultureInfo.InvariantCulture);
        if (error.Contains("Inappropriate ioctl") || error.Contains("Operation not supported")) return null;
        throw new InvalidOperationException($"reading the flags of {path} failed: {error}");
    }
}
