namespace Dstack.Core.Workflows;

/// <summary>One workflow as written in the files, before any substitution.</summary>
public sealed record Workflow
{
    public required string Name { get; init; }
    public required IReadOnlyList<string> Commands { get; init; }
    public IReadOnlyList<string> Artifacts { get; init; } = [];
    public IReadOnlyList<WorkflowDependency> DependsOn { get; init; } = [];
    /// <summary>`depends-on: {repo: {include: [...]}}`: the paths the workflow's code depends on; empty = the whole repository.</summary>
    public IReadOnlyList<string> RepoIncludes { get; init; } = [];
    public string? WorkingDir { get; init; }
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    public WorkflowResources? Resources { get; init; }
    public string? Image { get; init; }
    /// <summary>`checkpoint_interval`: seconds between artifact syncs while the job runs (null = the default, 60 s; 0 = never).</summary>
    public int? CheckpointIntervalSeconds { get; init; }
    public required SourceLocation Location { get; init; }
}
