namespace Dstack.Server.Logs;

/// <summary>Whose log records to read: one job's, or a whole run's (its jobs interleaved by time).</summary>
public sealed record LogScope(string? JobId, long? RunId)
{
    public static LogScope OfJob(string jobId) => new(jobId, null);

    public static LogScope OfRun(long runId) => new(null, runId);
}
