namespace Dstack.Runner.Hosting;

/// <summary>
/// The runner's own diagnostics (not a job's output): one timestamped line per event, written to
/// stderr, which the embedded server sends to its log file.
/// </summary>
public sealed class RunnerLog(TextWriter writer)
{
    private readonly Lock _lock = new();

    public void Info(string message) => Write("info", message);

    public void Warn(string message) => Write("warn", message);

    private void Write(string level, string message)
    {
        lock (_lock)
        {
            writer.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} runner {level}: {message}");
            writer.Flush();
        }
    }
}
