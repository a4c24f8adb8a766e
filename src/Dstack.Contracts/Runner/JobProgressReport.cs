using Dstack.Contracts.Jobs;

namespace Dstack.Contracts.Runner;

/// <summary>A runner moving its job to RUNNING or UPLOADING.</summary>
public sealed record JobProgressReport
{
    public required long FencingToken { get; init; }
    public required JobStatus Status { get; init; }
    /// <summary>Process group of the job's commands, recorded so a crash can be cleaned up.</summary>
    public int? ProcessGroupId { get; init; }
}
