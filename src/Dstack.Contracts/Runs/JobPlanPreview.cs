namespace Dstack.Contracts.Runs;

/// <summary>One job of a dry run: what the run would do for the workflow, and why.</summary>
public sealed record JobPlanPreview
{
    public required string Workflow { get; init; }
    public required CacheDecision Decision { get; init; }
    public required string CacheKey { get; init; }
    /// <summary>For Reuse and Await: the job taken, and the run that created it.</summary>
    public string? JobId { get; init; }
    public string? RunName { get; init; }
    /// <summary>For Run: the earlier job of the workflow whose key is closest (fewest differing parts); null when there is none.</summary>
    public string? ClosestJobId { get; init; }
    /// <summary>For Run: what differs from the closest job (for example "variable model: 117M -> 345M"), or why no job could be reused.</summary>
    public IReadOnlyList<string> Differences { get; init; } = [];
}
