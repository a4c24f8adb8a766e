using Dstack.Contracts.Artifacts;
using Dstack.Contracts.Runner;
using Dstack.Server.Runners;

namespace Dstack.Server.Jobs;

/// <summary>
/// The job lifecycle as the runners drive it. Every status change goes through <see cref="Core.Jobs.JobStateMachine"/>
/// inside one transaction; every call about a leased job checks its fencing token first.
/// </summary>
public interface IJobStore
{
    /// <summary>
    /// Moves the oldest SUBMITTED job whose dependencies are all DONE and whose needs the runner meets to RUNNING,
    /// with a new fencing token; null when there is none.
    /// </summary>
    LeaseGrant? TryLease(RunnerRow runner, DateTimeOffset now);

    /// <summary>Throws a 404 for an unknown job and a 409 when the token is not the job's current one.</summary>
    LeaseCheck CheckLease(string jobId, long fencingToken);

    void ReportProgress(string jobId, JobProgressReport report);

    /// <summary>DONE or FAILED; a FAILED job fails, transitively, every SUBMITTED job that depends on it.</summary>
    void ReportOutcome(string jobId, JobOutcome outcome, DateTimeOffset now);

    /// <summary>Replaces the job's artifact files.</summary>
    void SaveArtifacts(string jobId, ArtifactManifest manifest);

    JobArtifacts? GetArtifacts(string jobId);

    /// <summary>Of the jobs a runner says it holds, those it does not hold any more (another token, another runner, or not leased).</summary>
    IReadOnlyList<string> Revoked(string runnerId, IReadOnlyList<ActiveJob> jobs);

    /// <summary>
    /// Fails the RUNNING and UPLOADING jobs leased to the runner before <paramref name="leasedBefore"/> that its heartbeat
    /// does not list: a lease whose answer never reached it (server killed mid-answer, or the runner restarted). Returns how many.
    /// </summary>
    int FailJobsNotHeld(string runnerId, IReadOnlyCollection<string> heldJobIds, DateTimeOffset leasedBefore, DateTimeOffset now, string reason);

    /// <summary>Fails the RUNNING and UPLOADING jobs of runners not heard from since <paramref name="silentSince"/>; returns how many.</summary>
    int FailJobsOfSilentRunners(DateTimeOffset silentSince, DateTimeOffset now, string reason);
}
