namespace Dstack.Core.Workflows;

/// <summary>A problem (or a warning) in the workflow files, with where it is and how to fix it.</summary>
public sealed record WorkflowDiagnostic(SourceLocation Location, string Message)
{
    /// <summary>"file:line:column: message", the form editors and terminals recognise.</summary>
    public override string ToString() => $"{Location}: {Message}";
}
