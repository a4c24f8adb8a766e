namespace Dstack.Core.Workflows;

/// <summary>The workflow files are invalid. Carries every problem found, each with file, line and column.</summary>
public sealed class WorkflowFileException(IReadOnlyList<WorkflowDiagnostic> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<WorkflowDiagnostic> Errors { get; } = errors;
}
