using Dstack.Contracts.Jobs;

namespace Dstack.Core.Jobs;

/// <summary>
/// The one list of allowed job transitions. Stores apply a transition as
/// `UPDATE ... SET status = to WHERE id = @id AND status IN (AllowedFrom(to))` inside one transaction,
/// so two racing commands can never both move the same job.
/// </summary>
public static class JobStateMachine
{
    private static readonly Dictionary<JobStatus, JobStatus[]> From = new()
    {
        // Resume puts a STOPPED job back in the queue (a new attempt).
        [JobStatus.Submitted] = [JobStatus.Stopped],
        [JobStatus.Running] = [JobStatus.Submitted],
        [JobStatus.Uploading] = [JobStatus.Running],
        // From STOPPING: the job finished on its own before the stop order reached its runner.
        [JobStatus.Done] = [JobStatus.Uploading, JobStatus.Running, JobStatus.Stopping],
        [JobStatus.Failed] = [JobStatus.Submitted, JobStatus.Running, JobStatus.Uploading, JobStatus.Stopping, JobStatus.Aborting],
        [JobStatus.Stopping] = [JobStatus.Running, JobStatus.Uploading],
        [JobStatus.Stopped] = [JobStatus.Submitted, JobStatus.Stopping],
        [JobStatus.Aborting] = [JobStatus.Running, JobStatus.Uploading, JobStatus.Stopping],
        [JobStatus.Aborted] = [JobStatus.Submitted, JobStatus.Aborting],
    };

    public static IReadOnlyList<JobStatus> AllowedFrom(JobStatus to) => From[to];

    public static bool IsAllowed(JobStatus from, JobStatus to) => From[to].Contains(from);
}
