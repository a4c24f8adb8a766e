namespace Dstack.Contracts.Runner;

/// <summary>
/// The server asks the runner holding a job to stop it. Repeated until the job's outcome is reported, so the
/// runner must treat it as idempotent; an abort order overrides a graceful one already under way.
/// </summary>
public sealed record JobStopOrder
{
    public required string JobId { get; init; }
    public required long FencingToken { get; init; }
    /// <summary>SIGKILL at once and skip the artifact upload; report ABORTED.</summary>
    public required bool Abort { get; init; }
    /// <summary>Graceful stop: SIGTERM to the job's process group, then SIGKILL after this long; upload artifacts; report STOPPED.</summary>
    public required int GraceMs { get; init; }
}
