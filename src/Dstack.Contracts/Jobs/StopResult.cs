namespace Dstack.Contracts.Jobs;

/// <summary>The answer to a stop: the jobs concerned as they are now, and which of them this request changed.</summary>
public sealed record StopResult
{
    public required IReadOnlyList<JobInfo> Jobs { get; init; }
    /// <summary>Ids of the jobs this request moved (to STOPPING, ABORTING, STOPPED or ABORTED). Empty when everything had already finished.</summary>
    public required IReadOnlyList<string> Changed { get; init; }
}
