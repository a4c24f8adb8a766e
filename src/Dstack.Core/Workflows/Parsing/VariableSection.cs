namespace Dstack.Core.Workflows.Parsing;

/// <summary>A section of `variables:` (`global` or a workflow's name) and where its key is written.</summary>
internal sealed record VariableSection(string Name, SourceLocation Location);
