using Dstack.Contracts.Jobs;

namespace Dstack.Contracts.Runner;

/// <summary>
/// A runner moving its job to UPLOADING (a long upload shows as such). RUNNING is accepted too and changes nothing:
/// the lease itself makes a job RUNNING, so runners no longer send it.
/// </summary>
public sealed record JobProgressReport
{
    public required long FencingToken { get; init; }
    public required JobStatus Status { get; init; }
}
