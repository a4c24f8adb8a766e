using Dstack.Contracts.Runs;

namespace Dstack.Core.Workflows;

/// <summary>Parses and validates `.dstack/workflows.yaml`, `.dstack/workflows/*.yaml` and `.dstack/variables.yaml`.</summary>
public static class WorkflowSetParser
{
    /// <summary>Throws <see cref="WorkflowFileException"/> with every problem found; never returns a half-valid set.</summary>
    public static WorkflowSet Parse(IReadOnlyList<WorkflowFileContent> files) => throw new NotImplementedException();
}
