namespace Dstack.Contracts.Runs;

/// <summary>What `dstack run W --dry-run` shows: the jobs the run would have, in dependency order. Nothing is stored.</summary>
public sealed record RunPlanPreview
{
    public required string Workflow { get; init; }
    public required IReadOnlyList<JobPlanPreview> Jobs { get; init; }
}
