using Dstack.Contracts.Jobs;

namespace Dstack.Server.Storage;

/// <summary>Job statuses are stored as their upper-case names, as users see them (readable with the sqlite3 shell).</summary>
public static class StatusColumn
{
    public static string ToDb(JobStatus status) => status.ToDisplay();

    public static JobStatus FromDb(string text) => Enum.Parse<JobStatus>(text, ignoreCase: true);

    /// <summary>A SQL list literal, e.g. ('RUNNING','UPLOADING'), for `status IN` guards. Built only from enum names, never from input.</summary>
    public static string SqlList(IEnumerable<JobStatus> statuses) => "(" + string.Join(", ", statuses.Select(s => $"'{ToDb(s)}'")) + ")";

    public static readonly JobStatus[] Unfinished =
        Enum.GetValues<JobStatus>().Where(s => !s.IsFinished()).ToArray();

    /// <summary>Statuses in which a runner holds the job.</summary>
    public static readonly JobStatus[] Leased = [JobStatus.Running, JobStatus.Uploading, JobStatus.Stopping, JobStatus.Aborting];
}
