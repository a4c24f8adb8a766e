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
}
