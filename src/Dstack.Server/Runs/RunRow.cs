namespace Dstack.Server.Runs;

/// <summary>A run as stored, with its jobs in plan order (every job after the jobs it depends on).</summary>
public sealed record RunRow
{
    public required long Id { get; init; }
    public required string Name { get; init; }
    public required string Owner { get; init; }
    public required string RepoUrl { get; init; }
    public string? Branch { get; init; }
    public required string Commit { get; init; }
    public required string Workflow { get; init; }
    public required IReadOnlyDictionary<string, string> Variables { get; init; }
    public string? Tag { get; init; }
    public required DateTimeOffset SubmittedAt { get; init; }
    public required IReadOnlyList<JobRow> Jobs { get; init; }
}
