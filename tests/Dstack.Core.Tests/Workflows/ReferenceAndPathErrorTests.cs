using Dstack.Core.Tests.TestSupport;
using Dstack.Core.Workflows;

namespace Dstack.Core.Tests.Workflows;

/// <summary>Undefined `${{ name }}` anywhere variables are substituted, and paths that leave the working tree.</summary>
public class ReferenceAndPathErrorTests
{
    private static string Workflow(string extra) => $"workflows:\n  - name: train\n    commands: [python train.py]\n{extra}";

    [Fact]
    public void AnUndefinedVariableInACommand_IsRefused_AtItsExactColumn()
    {
        var error = ParseErrors.Single("workflows:\n  - name: train\n    commands:\n      - python train.py --lr ${{ lr }}\n", "variables:\n  global:\n    seed: 1\n");

        Assert.Equal(new SourceLocation(".dstack/workflows.yaml", 4, 30), error.Location);
        Assert.Contains("undefined variable 'lr' in commands of workflow 'train'", error.Message, StringComparison.Ordinal);
        Assert.Contains("under 'global:' or 'train:'", error.Message, StringComparison.Ordinal);
        Assert.Contains("seed", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("    artifacts: ['out/${{ missing }}']\n", "artifacts")]
    [InlineData("    environment:\n      A: ${{ missing }}\n", "environment.A")]
    [InlineData("    working_dir: ${{ missing }}\n", "working_dir")]
    [InlineData("    image: python:${{ missing }}\n", "image")]
    [InlineData("    resources:\n      memory: ${{ missing }}\n", "resources.memory")]
    [InlineData("    resources:\n      gpu:\n        name: ${{ missing }}\n", "resources.gpu.name")]
    public void AnUndefinedVariable_IsRefused_WhereverVariablesAreSubstituted(string extra, string field) =>
        Assert.Contains($"undefined variable 'missing' in {field} of workflow 'train'", ParseErrors.Single(Workflow(extra)).Message, StringComparison.Ordinal);

    [Fact]
    public void AVariableOfAnotherWorkflow_IsUndefinedHere()
    {
        var error = ParseErrors.Single("workflows:\n  - name: a\n    commands:\n      - echo ${{ lr }}\n  - name: b\n    commands: [x]\n", "variables:\n  b:\n    lr: 1\n");

        Assert.Contains("undefined variable 'lr' in commands of workflow 'a'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SystemVariables_GlobalsAndOwnVariables_AreDefined()
    {
        var set = WorkflowSetParser.Parse(DstackFiles.Workflows(
            "workflows:\n  - name: a\n    commands: ['echo ${{ run_name }} ${{job_id}} ${{ variables_as_args }} ${{ g }} ${{ own-var }}']\n",
            "variables:\n  global:\n    g: 1\n  a:\n    own-var: 2\n"));

        Assert.Single(set.Workflows);
    }

    [Fact]
    public void AnUnknownLegacyDollarName_IsLeftForTheShell_NotRefused()
    {
        var set = WorkflowSetParser.Parse(DstackFiles.Workflows("workflows:\n  - name: a\n    commands: ['echo $HOME $lr ${PATH} $1']\n"));

        Assert.Single(set.Workflows);
    }

    [Fact]
    public void AnUnclosedExplicitReference_IsRefused() =>
        Assert.Contains("does not close as '${{ name }}'", ParseErrors.Single(Workflow("    environment:\n      A: ${{ lr\n")).Message, StringComparison.Ordinal);

    [Fact]
    public void ErrorsInQuotedCommands_PointInsideTheQuotes()
    {
        var error = ParseErrors.Single("workflows:\n  - name: a\n    commands:\n      - 'echo ${{ x }}'\n");

        Assert.Equal(new SourceLocation(".dstack/workflows.yaml", 4, 15), error.Location);
    }

    [Theory]
    [InlineData("/models")]
    [InlineData("~/models")]
    [InlineData("../models")]
    [InlineData("out/../../models")]
    [InlineData("C:/models")]
    public void AnArtifactPathOutsideTheWorkingDirectory_IsRefused(string path)
    {
        var error = ParseErrors.Single(Workflow($"    artifacts:\n      - '{path}'\n"));

        Assert.Equal(5, error.Location.Line);
        Assert.Contains($"artifact path '{path}' of workflow 'train'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/srv/code", "is absolute")]
    [InlineData("..", "contains '..'")]
    public void AWorkingDirOutsideTheRepository_IsRefused(string dir, string problem)
    {
        var error = ParseErrors.Single(Workflow($"    working_dir: '{dir}'\n"));

        Assert.Contains($"working_dir '{dir}' of workflow 'train' {problem}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ArtifactPathsWithVariables_AndDotsInNames_AreAccepted()
    {
        var set = WorkflowSetParser.Parse(DstackFiles.Workflows(Workflow("    artifacts: [models/$model, checkpoint/$job_id, ./out, a..b, .cache]\n"), "variables:\n  global:\n    model: 124M\n"));

        Assert.Equal(5, set.Workflows[0].Artifacts.Count);
    }
}
