namespace Dstack.Core.Workflows.Parsing;

/// <summary>Collects every error and warning of one parse, so the user sees all problems at once.</summary>
internal sealed class DiagnosticList
{
    public List<WorkflowDiagnostic> Errors { get; } = [];
    public List<WorkflowDiagnostic> Warnings { get; } = [];

    public void Error(SourceLocation location, string message) => Errors.Add(new WorkflowDiagnostic(location, message));

    public void Warning(SourceLocation location, string message) => Warnings.Add(new WorkflowDiagnostic(location, message));
}
