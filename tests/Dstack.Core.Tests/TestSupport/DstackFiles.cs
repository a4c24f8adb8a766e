using Dstack.Contracts.Runs;

namespace Dstack.Core.Tests.TestSupport;

/// <summary>Builds the file list the parser takes, from names inside `.dstack/` and their text.</summary>
internal static class DstackFiles
{
    public static IReadOnlyList<WorkflowFileContent> Of(params (string Name, string Content)[] files) =>
        files.Select(f => new WorkflowFileContent($".dstack/{f.Name}", f.Content)).ToList();

    public static IReadOnlyList<WorkflowFileContent> Workflows(string workflowsYaml, string? variablesYaml = null) =>
        variablesYaml is null ? Of(("workflows.yaml", workflowsYaml)) : Of(("workflows.yaml", workflowsYaml), ("variables.yaml", variablesYaml));
}
