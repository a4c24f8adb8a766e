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
}
