using Dstack.Contracts.Artifacts;
using Dstack.Contracts.Jobs;

namespace Dstack.Contracts.Runner;

/// <summary>How a job ended, reported once by its runner after logs and artifacts are shipped.</summary>
public sealed record JobOutcome
{
    public required long FencingToken { get; init; }
    /// <summary>DONE or FAILED; STOPPED after a graceful stop order, ABORTED after an abort order.</summary>
    public required JobStatus Status { get; init; }
    public int? ExitCode { get; init; }
    public string? Signal { get; init; }
    public string? Reason { get; init; }
    /// <summary>
    /// The job's final artifact manifest, stored with the outcome in one request (null: none, as for a job without
    /// artifacts or one that never started). Checkpoints still go to the artifacts route while the job runs.
    /// </summary>
    public ArtifactManifest? Artifacts { get; init; }
    /// <summary>
    /// The runner's id when the slot the job ran in wants its next job in the answer: one round trip a job instead of
    /// an outcome and then a lease. The server answers at once, without waiting: a lease (200), or nothing ready (204),
    /// as the lease route does. Null: the plain outcome (204).
    /// </summary>
    public string? NextLeaseFor { get; init; }
}
