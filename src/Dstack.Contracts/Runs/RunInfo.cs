using Dstack.Contracts.Jobs;

namespace Dstack.Contracts.Runs;

/// <summary>A run as the API shows it to users. Its status is derived from its jobs.</summary>
public sealed record RunInfo
{
    public required string RunName { get; init; }
    public string? Tag { get; init; }
    public required string Workflow { get; init; }
    public required JobStatus Status { get; init; }
    public required DateTimeOffset SubmittedAt { get; init; }
    /// <summary>The variables overridden on the command line.</summary>
    public required IReadOnlyDictionary<string, string> Variables { get; init; }
    public required string RepoUrl { get; init; }
    public string? Branch { get; init; }
    public required string Commit { get; init; }
    /// <summary>Jobs in dependency order: every job comes after the jobs it depends on.</summary>
    public required IReadOnlyList<JobInfo> Jobs { get; init; }
}
