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
    /// Marks the runner seen at <paramref name="now"/> and moves the oldest SUBMITTED job whose dependencies are all DONE
    /// and whose needs the runner meets to RUNNING, with a new fencing token; null when there is none. One transaction.
    /// </summary>
    LeaseGrant? TryLease(RunnerRow runner, DateTimeOffset now);

    /// <summary>Throws a 404 for an unknown job and a 409 when the token is not the job's current one.</summary>
    LeaseCheck CheckLease(string jobId, long fencingToken);

    void ReportProgress(string jobId, JobProgressReport report);

    /// <summary>
    /// DONE or FAILED; STOPPED from STOPPING and ABORTED from ABORTING (a STOPPING job that finished on its own may still be
    /// DONE or FAILED). A job that ends without DONE ends, transitively, every SUBMITTED job that depends on it.
    /// </summary>
    /// <returns>False when the same outcome was already recorded (a runner sending it again after a lost answer).</returns>
    bool ReportOutcome(string jobId, JobOutcome outcome, DateTimeOffset now);

    /// <summary>Replaces the job's artifact files; a checkpoint (accepted while RUNNING, UPLOADING or STOPPING) changes no status.</summary>
    void SaveArtifacts(string jobId, ArtifactManifest manifest);

    JobArtifacts? GetArtifacts(string jobId);

    /// <summary>The pending stop orders for the runner's STOPPING and ABORTING jobs (repeated until their outcome arrives).</summary>
    IReadOnlyList<JobStopOrder> StopOrders(string runnerId);

    /// <summary>Of the jobs a runner says it holds, those it does not hold any more (another token, another runner, or not leased).</summary>
    IReadOnlyList<string> Revoked(string runnerId, IReadOnlyList<ActiveJob> jobs);

    /// <summary>
    /// Fails the RUNNING, UPLOADING, STOPPING and ABORTING jobs leased to the runner before <paramref name="leasedBefore"/> that its heartbeat
    /// does not list: a lease whose answer never reached it (server killed mid-answer, or the runner restarted). Returns how many.
    /// </summary>
    int FailJobsNotHeld(string runnerId, IReadOnlyCollection<string> heldJobIds, DateTimeOffset leasedBefore, DateTimeOffset now, string reason);

    /// <summary>Fails the RUNNING, UPLOADING, STOPPING and ABORTING jobs of runners not heard from since <paramref name="silentSince"/>; returns how many.</summary>
    int FailJobsOfSilentRunners(DateTimeOffset silentSince, DateTimeOffset now, string reason);
}
