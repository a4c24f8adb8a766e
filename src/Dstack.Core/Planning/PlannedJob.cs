using Dstack.Core.Caching;
using Dstack.Core.Workflows;

namespace Dstack.Core.Planning;

/// <summary>One job of a run, with every variable substituted: what the server stores and hands to a runner.</summary>
public sealed record PlannedJob
{
    public required string JobId { get; init; }
    public required string Workflow { get; init; }
    /// <summary>Job ids (within the same plan) of the untagged dependencies.</summary>
    public required IReadOnlyList<string> DependsOnJobIds { get; init; }
    /// <summary>`name:tag` dependencies: their artifacts come from a tagged run.</summary>
    public IReadOnlyList<WorkflowDependency> TagDependencies { get; init; } = [];
    /// <summary>Every variable of the workflow with the run's overrides applied, name to value, in definition order.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Variables { get; init; }
    /// <summary>The run's overrides that this workflow has.</summary>
    public required IReadOnlyDictionary<string, string> OverriddenVariables { get; init; }
    public required IReadOnlyList<string> Commands { get; init; }
    public required string WorkingDir { get; init; }
    /// <summary>The workflow's environment, the variables exported upper-cased, RUN_NAME and JOB_ID.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }
    public required IReadOnlyList<string> Artifacts { get; init; }
    public string? Image { get; init; }
    public WorkflowResources? Resources { get; init; }
    public IReadOnlyList<string> RepoIncludes { get; init; } = [];
    /// <summary>The job's texts as its cache key sees them: substituted, but with run_name and job_id left as written.</summary>
    public required JobDefinition KeyDefinition { get; init; }
    /// <summary>Seconds between artifact syncs while the job runs; 0 = never.</summary>
    public int CheckpointIntervalSeconds { get; init; } = 60;
}
