using Dstack.Contracts.Runs;
using Dstack.Core.Workflows;

namespace Dstack.Core.Tests.TestSupport;

/// <summary>Runs the parser on files that must be refused and returns what it reported.</summary>
internal static class ParseErrors
{
    public static IReadOnlyList<WorkflowDiagnostic> Of(IReadOnlyList<WorkflowFileContent> files) =>
        Assert.Throws<WorkflowFileException>(() => WorkflowSetParser.Parse(files)).Errors;

    public static IReadOnlyList<WorkflowDiagnostic> Of(string workflowsYaml, string? variablesYaml = null) =>
        Of(DstackFiles.Workflows(workflowsYaml, variablesYaml));

    public static WorkflowDiagnostic Single(string workflowsYaml, string? variablesYaml = null) =>
        Assert.Single(Of(workflowsYaml, variablesYaml));
}
