using Dstack.Contracts.Jobs;

namespace Dstack.Server.Runs;

/// <summary>A job as a run lists it, with its runner's name.</summary>
public sealed record JobRow
{
    public required string Id { get; init; }
    /// <summary>The run that created the job (for a reused one, not the run that lists it).</summary>
    public required long RunId { get; init; }
    public required string RunName { get; init; }
    public required string Workflow { get; init; }
    public required JobStatus Status { get; init; }
    public string? Reason { get; init; }
    public int? ExitCode { get; init; }
    public string? Signal { get; init; }
    public required int Attempt { get; init; }
    public string? RunnerName { get; init; }
    public required DateTimeOffset SubmittedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public required IReadOnlyDictionary<string, string> Variables { get; init; }
    public string? Image { get; init; }
    public required int GpuCount { get; init; }
    public required IReadOnlyList<string> DependsOn { get; init; }
    /// <summary>The workflows of the jobs it depends on that are not DONE yet, in DependsOn order.</summary>
    public IReadOnlyList<string> PendingDependencies { get; init; } = [];
    public required bool ArtifactsPartial { get; init; }
    /// <summary>Every attempt, oldest first.</summary>
    public IReadOnlyList<JobAttempt> Attempts { get; init; } = [];
    /// <summary>True when the run listing it took it from the run that created it (same cache key).</summary>
    public bool Reused { get; init; }
    public string? CacheKey { get; init; }
}
