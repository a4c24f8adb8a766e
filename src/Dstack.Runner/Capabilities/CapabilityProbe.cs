using System.Diagnostics;
using Dstack.Contracts.Runner;

namespace Dstack.Runner.Capabilities;

/// <summary>
/// What this machine offers to jobs. This version runs jobs as processes only, so it claims no container
/// engine: a runner must not accept jobs (with `image:`) it cannot run as asked.
/// </summary>
public static class CapabilityProbe
{
    public static RunnerCapabilities Probe() => new()
    {
        Cpus = Environment.ProcessorCount,
        MemoryBytes = ReadMemoryBytes("/proc/meminfo"),
        Gpus = CountGpus(),
        ContainerEngine = null,
    };

    /// <summary>MemTotal of a /proc/meminfo file, in bytes; 0 when it cannot be read.</summary>
    public static long ReadMemoryBytes(string meminfoPath)
    {
        try
        {
            foreach (var line in File.ReadLines(meminfoPath))
            {
                if (!line.StartsWith("MemTotal:", StringComparison.Ordinal)) continue;
                var parts = line["MemTotal:".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.TryParse(parts[0], out var kib) ? kib * 1024 : 0;
            }
        }
        catch (IOException)
        {
        }
        return 0;
    }

    /// <summary>Lines of `nvidia-smi -L` (one per GPU); 0 when the command is missing or fails.</summary>
    public static int CountGpus(string command = "nvidia-smi")
    {
        try
        {
            var info = new ProcessStartInfo(command, "-L") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(info);
            if (process is null) return 0;
            var output = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill();
                return 0;
            }
            return process.ExitCode == 0 ? output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith("GPU ", StringComparison.Ordinal)) : 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 0; // not installed
        }
    }
}
