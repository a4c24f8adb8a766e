namespace Dstack.Cli.Running;

/// <summary>`dstack run` as typed: the workflow (null when none was named), the overridden variables, and run's own flags.</summary>
public sealed record RunArguments(string? Workflow, IReadOnlyDictionary<string, string> Overrides, bool Follow, bool Help)
{
    /// <summary>`--no-cache`: every job runs afresh, even when an earlier job has its key.</summary>
    public bool NoCache { get; init; }

    /// <summary>`--dry-run`: show what the run would create or reuse, and why; submit nothing.</summary>
    public bool DryRun { get; init; }
}
