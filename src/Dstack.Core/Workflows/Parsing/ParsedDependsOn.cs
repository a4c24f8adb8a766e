namespace Dstack.Core.Workflows.Parsing;

/// <summary>What a `depends-on` said, in either of its forms.</summary>
internal sealed record ParsedDependsOn(IReadOnlyList<WorkflowDependency> Dependencies, IReadOnlyList<string> RepoIncludes);
