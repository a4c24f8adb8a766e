using System.Globalization;

namespace Dstack.Runner.Tests.Support;

/// <summary>Looks at processes through /proc, the way the tests check that a job left nothing behind.</summary>
public static class Processes
{
    /// <summary>True while the process exists and has not exited (a zombie has exited: only its parent has not reaped it).</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>True while /proc has an entry for the pid: running, or a zombie nobody reaped.</summary>
    public static bool Exists(int pid) => Directory.Exists($"/proc/{pid}");

    /// <summary>Field 6 of /proc/PID/stat: the session the process is in.</summary>
    public static int SessionOf(int pid)
    {
        var text = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(text[(text.LastIndexOf(')') + 2)..].Split(' ')[6 - 3], CultureInfo.InvariantCulture);
    }

    /// <summary>True once the process leads a process group of its own (field 5 of /proc/PID/stat is its pid): what `setsid` does before it execs.</summary>
    public static bool LeadsItsGroup(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ')[5 - 3] == pid.ToString(CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Waits until the file holds a whole line, and returns it as a pid.</summary>
    public static async Task<int> ReadPidFileAsync(string path, string what)
    {
        await Wait.UntilAsync(() => File.Exists(path) && File.ReadAllText(path).EndsWith('\n'), TimeSpan.FromSeconds(20), what);
        return int.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture);
    }
}
