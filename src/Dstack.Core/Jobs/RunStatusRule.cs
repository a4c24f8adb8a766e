using Dstack.Contracts.Jobs;

namespace Dstack.Core.Jobs;

/// <summary>
/// A run's status, derived from its jobs by one rule, first match wins:
/// 1. any job ABORTING -> ABORTING; any STOPPING -> STOPPING;
/// 2. any job RUNNING or UPLOADING, or some jobs finished while others still wait -> RUNNING;
/// 3. every job waiting -> SUBMITTED;
/// 4. all jobs finished: any FAILED -> FAILED; else any ABORTED -> ABORTED; else any STOPPED -> STOPPED; else DONE.
/// </summary>
public static class RunStatusRule
{
    public static JobStatus Derive(IReadOnlyCollection<JobStatus> jobs)
    {
        if (jobs.Count == 0) return JobStatus.Submitted;
        if (jobs.Contains(JobStatus.Aborting)) return JobStatus.Aborting;
        if (jobs.Contains(JobStatus.Stopping)) return JobStatus.Stopping;
        if (jobs.Any(s => s is JobStatus.Running or JobStatus.Uploading)) return JobStatus.Running;
        if (jobs.All(s => s == JobStatus.Submitted)) return JobStatus.Submitted;
        if (jobs.Any(s => !s.IsFinished())) return JobStatus.Running;
        if (jobs.Contains(JobStatus.Failed)) return JobStatus.Failed;
        if (jobs.Contains(JobStatus.Aborted)) return JobStatus.Aborted;
        if (jobs.Contains(JobStatus.Stopped)) return JobStatus.Stopped;
        return JobStatus.Done;
    }
}
