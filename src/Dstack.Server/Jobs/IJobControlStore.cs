namespace Dstack.Server.Jobs;

/// <summary>What users do to jobs besides submitting them: stop, abort, resume. Each call is one transaction.</summary>
public interface IJobControlStore
{
    /// <summary>
    /// Stops (or aborts) the jobs: RUNNING and UPLOADING go STOPPING (ABORTING) with the grace recorded as their order,
    /// a STOPPING job being aborted goes ABORTING, a SUBMITTED one ends at once STOPPED (ABORTED) and so do the SUBMITTED
    /// jobs waiting for it; finished jobs are left alone. Returns the jobs it moved.
    /// </summary>
    IReadOnlyList<StopChange> Stop(IReadOnlyList<string> jobIds, bool abort, int graceMs, DateTimeOffset now);

    /// <summary>
    /// Puts a STOPPED job back in the queue (a new attempt when the last one had started) with the jobs of any run that
    /// depend on it and were stopped before they ever started. Throws 409 with the reason when it can't.
    /// </summary>
    void Resume(string jobId, DateTimeOffset now);
}
