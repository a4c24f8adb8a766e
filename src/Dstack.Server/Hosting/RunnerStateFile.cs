using System.Text;
using System.Text.Json;

namespace Dstack.Server.Hosting;

/// <summary>Home/runner/runner.json, written by the built-in runner: the server reads only its pid, to avoid starting a second runner.</summary>
public static class RunnerStateFile
{
    /// <summary>The pid in the file when that process is alive and is a dstack runner (pids are reused); otherwise null.</summary>
    public static int? LiveRunnerPid(string path)
    {
        int pid;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var property = document.RootElement.EnumerateObject().FirstOrDefault(p => p.Name.Equals("pid", StringComparison.OrdinalIgnoreCase));
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out pid)) return null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
        if (pid <= 0 || pid == Environment.ProcessId || !ProcessSignals.IsAlive(pid)) return null;
        try
        {
            var commandLine = Encoding.UTF8.GetString(File.ReadAllBytes($"/proc/{pid}/cmdline")).Replace('\0', ' ');
            return commandLine.Contains("runner", StringComparison.Ordinal) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
