using Dstack.Core.Tests.TestSupport;
using Dstack.Core.Workflows;

namespace Dstack.Core.Tests.Workflows;

/// <summary>Problems of a whole file: missing files, YAML syntax, the top-level shape.</summary>
public class WorkflowFileErrorTests
{
    [Fact]
    public void NoWorkflowFile_IsRefused_WithAnErrorSayingToCreateOne()
    {
        var error = Assert.Single(ParseErrors.Of(DstackFiles.Of(("variables.yaml", "variables: {}"))));

        Assert.Equal(".dstack/workflows.yaml", error.Location.File);
        Assert.Contains("create .dstack/workflows.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoFilesAtAll_IsRefused_TheSameWay() =>
        Assert.Contains("create", Assert.Single(ParseErrors.Of([])).Message, StringComparison.Ordinal);

    [Fact]
    public void InvalidYaml_IsReported_AtTheParsersMark()
    {
        var error = ParseErrors.Single("workflows:\n  - name: a\n    commands: [echo hi\n");

        Assert.Equal(".dstack/workflows.yaml", error.Location.File);
        Assert.StartsWith("invalid YAML:", error.Message, StringComparison.Ordinal);
        Assert.True(error.Location.Line >= 3, $"line {error.Location.Line}");
    }

    [Fact]
    public void InvalidYamlInOneFile_DoesNotHideTheProblemsOfAnother()
    {
        var errors = ParseErrors.Of(DstackFiles.Of(
            ("workflows.yaml", "workflows:\n  - name: a\n    commandz: [x]\n"),
            ("variables.yaml", "variables:\n  global:\n    a: 'unclosed\n")));

        Assert.Contains(errors, e => e.Location.File == ".dstack/variables.yaml" && e.Message.StartsWith("invalid YAML", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Location.File == ".dstack/workflows.yaml" && e.Message.Contains("'commandz'", StringComparison.Ordinal));
    }

    [Fact]
    public void ADuplicateYamlKey_IsRefused()
    {
        var error = ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n    commands: [y]\n");

        Assert.Equal(4, error.Location.Line);
    }

    [Fact]
    public void AnEmptyWorkflowsFile_IsRefused_SayingWhatItMustHold()
    {
        var error = ParseErrors.Single("# nothing yet\n");

        Assert.Equal(new SourceLocation(".dstack/workflows.yaml", 1, 1), error.Location);
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("'workflows:'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralYamlDocuments_AreRefused() =>
        Assert.Contains("'---'", ParseErrors.Single("workflows: []\n---\nworkflows: []\n").Message, StringComparison.Ordinal);

    [Fact]
    public void ARootThatIsNotAMapping_IsRefused() =>
        Assert.Contains("not a list", ParseErrors.Single("- name: a\n  commands: [x]\n").Message, StringComparison.Ordinal);

    [Fact]
    public void AFileWithoutTheWorkflowsKey_IsRefused()
    {
        var errors = ParseErrors.Of("flows:\n  - name: a\n");

        Assert.Contains(errors, e => e.Message.Contains("unknown key 'flows'", StringComparison.Ordinal) && e.Message.Contains("allowed keys: workflows", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.Contains("has no 'workflows:' key", StringComparison.Ordinal));
    }

    [Fact]
    public void WorkflowsThatAreNotAList_AreRefused()
    {
        var error = ParseErrors.Single("workflows:\n  name: a\n  commands: [x]\n");

        Assert.Equal(new SourceLocation(".dstack/workflows.yaml", 2, 3), error.Location);
        Assert.Contains("'workflows' must be a list", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VariablesFileWithAnUnknownTopKey_IsRefused() =>
        Assert.Contains("allowed keys: variables", ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n", "vars:\n  global: {}\n").Message, StringComparison.Ordinal);

    [Fact]
    public void VariablesThatAreNotAMapping_AreRefused() =>
        Assert.Contains("'variables' must be a mapping", ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n", "variables: [a, b]\n").Message, StringComparison.Ordinal);

    [Fact]
    public void TheExceptionMessage_ListsEveryProblem_AsFileLineColumn()
    {
        var e = Assert.Throws<WorkflowFileException>(() => WorkflowSetParser.Parse(DstackFiles.Workflows("workflows:\n  - name: a\n    commandz: [x]\n  - commands: [y]\n")));

        Assert.Equal(3, e.Errors.Count);
        var lines = e.Message.Split(Environment.NewLine);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, line => Assert.Matches(@"^\.dstack/workflows\.yaml:\d+:\d+: ", line));
    }
}
