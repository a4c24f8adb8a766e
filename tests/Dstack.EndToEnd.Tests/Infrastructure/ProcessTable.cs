using System.Diagnostics;

namespace Dstack.EndToEnd.Tests.Infrastructure;

/// <summary>Reads /proc to find the processes a test left behind (servers, runners, jobs), by path.</summary>
public static class ProcessTable
{
    public static IReadOnlyList<int> Under(string root)
    {
        var self = System.Environment.ProcessId;
        var result = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(System.IO.Path.GetFileName(dir), out var pid) || pid == self) continue;
            try
            {
                var cmdline = File.ReadAllText(System.IO.Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                var cwd = new FileInfo(System.IO.Path.Combine(dir, "cwd")).LinkTarget ?? "";
                var environ = File.ReadAllText(System.IO.Path.Combine(dir, "environ"));
                if (cmdline.Contains(root, StringComparison.Ordinal) || cwd.StartsWith(root, StringComparison.Ordinal)
                    || environ.Contains(root, StringComparison.Ordinal))
                {
                    if (!IsZombie(dir)) result.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return result;
    }

    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !IsZombie($"/proc/{pid}");

    public static void Kill(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            p.Kill();
        }
        catch (ArgumentException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static bool IsZombie(string procDir)
    {
        try
        {
            var stat = File.ReadAllText(System.IO.Path.Combine(procDir, "stat"));
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state == "Z" || state == "X";
        }
        catch (IOException)
        {
            return true;
        }
    }
}
