namespace Dstack.Contracts.Jobs;

/// <summary>A job as the API shows it to users (`status`, `status --json`).</summary>
public sealed record JobInfo
{
    public required string JobId { get; init; }
    public required string RunName { get; init; }
    public required string Workflow { get; init; }
    public required JobStatus Status { get; init; }
    /// <summary>Name of the runner that has (or had) the job; null while it waits.</summary>
    public string? Runner { get; init; }
    /// <summary>The run's overridden variables that this job's workflow has.</summary>
    public required IReadOnlyDictionary<string, string> Variables { get; init; }
    public required DateTimeOffset SubmittedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>Why the job waits, failed or stopped; null when there is nothing to say.</summary>
    public string? Reason { get; init; }
    public int? ExitCode { get; init; }
    /// <summary>Name of the signal that ended the commands (for example SIGKILL), when one did.</summary>
    public string? Signal { get; init; }
    public int Attempt { get; init; } = 1;
    /// <summary>Ids of the jobs this job waits for.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];
    /// <summary>True when the job's artifacts are incomplete (the job failed or was stopped).</summary>
    public bool ArtifactsPartial { get; init; }
    /// <summary>Every attempt, oldest first; the last one is the job's current state (Attempt, ExitCode, Signal, Reason above).</summary>
    public IReadOnlyList<JobAttempt> Attempts { get; init; } = [];
    /// <summary>
    /// True when the run did not create this job but took it from an earlier run (RunName) whose job had the same
    /// cache key: a DONE job reused, or one still going that the run waits for instead of starting it twice.
    /// </summary>
    public bool Reused { get; init; }
    /// <summary>SHA-256 of the job's cache key document: equal keys mean the same code, definition, variables and dependencies.</summary>
    public string? CacheKey { get; init; }
}
