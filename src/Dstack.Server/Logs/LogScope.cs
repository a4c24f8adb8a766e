using Dstack.Server.Runs;

namespace Dstack.Server.Logs;

/// <summary>
/// Whose log records to read: one job's, or a whole run's (its member jobs interleaved by time). A run that created all
/// its jobs is read through the run_id index; one that took jobs from other runs is read job by job.
/// </summary>
public sealed record LogScope(string? JobId, long? RunId, IReadOnlyList<string>? JobIds)
{
    public static LogScope OfJob(string jobId) => new(jobId, null, null);

    public static LogScope OfRun(RunMembers run) => run.AnyReused ? new(null, null, run.JobIds) : new(null, run.RunId, null);
}
