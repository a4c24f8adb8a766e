using Dstack.Core.Workflows;

namespace Dstack.Core.Caching;

/// <summary>
/// What a job runs, as its cache key sees it: the workflow's texts with its variables substituted but the per-run
/// system variables (run_name, job_id) left as written, or no job would ever be reused.
/// </summary>
public sealed record JobDefinition
{
    public required IReadOnlyList<string> Commands { get; init; }
    public string? Image { get; init; }
    public required IReadOnlyDictionary<string, string> Environment { get; init; }
    public required string WorkingDir { get; init; }
    public required IReadOnlyList<string> Artifacts { get; init; }
    public WorkflowResources? Resources { get; init; }
}
