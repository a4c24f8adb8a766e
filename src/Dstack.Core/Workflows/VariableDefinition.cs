namespace Dstack.Core.Workflows;

/// <summary>A variable from variables.yaml. Value is the scalar's text exactly as written (`0.00002` stays `0.00002`).</summary>
public sealed record VariableDefinition(string Name, string Value, string? Workflow, SourceLocation Location)
{
    public bool IsGlobal => Workflow is null;
}
