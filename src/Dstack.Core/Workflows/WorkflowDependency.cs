namespace Dstack.Core.Workflows;

/// <summary>A workflow that must run first, or with Tag set (`name:tag`), the artifacts of a tagged run's job of that workflow.</summary>
public sealed record WorkflowDependency(string Workflow, string? Tag, SourceLocation Location);
