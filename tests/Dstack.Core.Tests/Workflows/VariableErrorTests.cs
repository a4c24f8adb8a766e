using Dstack.Core.Tests.TestSupport;
using Dstack.Core.Workflows;

namespace Dstack.Core.Tests.Workflows;

/// <summary>variables.yaml problems, and the run_name / job_id clash rule.</summary>
public class VariableErrorTests
{
    private const string OneWorkflow = "workflows:\n  - name: train\n    commands: [python train.py]\n";

    [Fact]
    public void AnUnreadableWorkflowsFile_IsTheOnlyError_NotEverySectionOfVariablesYaml()
    {
        var error = ParseErrors.Single("workflows:\n  - name: train\n    commands: [echo ${{ lr }}]\n", "variables:\n  train:\n    lr: 0.1\n");

        Assert.Equal(".dstack/workflows.yaml", error.Location.File);
        Assert.Contains("invalid YAML", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("path")]
    [InlineData("home")]
    [InlineData("ld-preload")]
    public void AVariableExportedOverAVitalEnvironmentVariable_IsRefused(string name)
    {
        var error = ParseErrors.Single(OneWorkflow, $"variables:\n  train:\n    {name}: data/x\n");

        Assert.Equal(new SourceLocation(".dstack/variables.yaml", 3, 5), error.Location);
        Assert.Contains("which the job's shell needs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASectionNamingNoWorkflow_IsRefused_ListingTheWorkflows()
    {
        var error = ParseErrors.Single(OneWorkflow, "variables:\n  global:\n    a: 1\n  trian:\n    lr: 0.1\n");

        Assert.Equal(new SourceLocation(".dstack/variables.yaml", 4, 3), error.Location);
        Assert.Contains("'variables: trian' names no workflow; use 'global' or one of the workflows: train", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'bad name'")]
    [InlineData("-lr")]
    [InlineData("_lr")]
    [InlineData("'lr=1'")]
    public void AVariableNameThatIsNotAnOptionName_IsRefused(string name)
    {
        var error = ParseErrors.Single(OneWorkflow, $"variables:\n  train:\n    {name}: 1\n");

        Assert.Equal(new SourceLocation(".dstack/variables.yaml", 3, 5), error.Location);
        Assert.Contains("must match [A-Za-z0-9][A-Za-z0-9_.-]*", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryReservedName_IsRefused_AsAVariable()
    {
        var variables = "variables:\n  global:\n" + string.Concat(RunOptionNames.Reserved.Select(n => $"    {n}: 1\n"));

        var errors = ParseErrors.Of(OneWorkflow, variables);

        Assert.Equal(RunOptionNames.Reserved.Count, errors.Count);
        Assert.All(errors, e => Assert.Contains("has the name of an option of 'dstack run' itself", e.Message, StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.Contains("(-f)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.Contains("(--no-cache)", StringComparison.Ordinal));
    }

    [Fact]
    public void TheReservedList_HoldsDstackRunsOwnOptions() =>
        Assert.Equal(["help", "h", "follow", "f", "no-cache", "dry-run", "version", "detach"], RunOptionNames.Reserved);

    [Fact]
    public void AVariableNamedVariablesAsArgs_IsRefused() =>
        Assert.Contains("'variables_as_args'", ParseErrors.Single(OneWorkflow, "variables:\n  train:\n    variables_as_args: --x 1\n").Message, StringComparison.Ordinal);

    [Fact]
    public void AVariableWhoseValueIsAList_IsRefused() =>
        Assert.Contains("variable 'layers' in 'variables: train' is a list", ParseErrors.Single(OneWorkflow, "variables:\n  train:\n    layers: [1, 2]\n").Message, StringComparison.Ordinal);

    [Fact]
    public void ASectionThatIsNotAMapping_IsRefused() =>
        Assert.Contains("'variables: global' must be a mapping", ParseErrors.Single(OneWorkflow, "variables:\n  global: [a]\n").Message, StringComparison.Ordinal);

    [Fact]
    public void AWorkflowVariableNamedRunName_GivesAWarning_NamingThePlaceTheWorkflowAndTheClash()
    {
        var set = WorkflowSetParser.Parse(DstackFiles.Workflows(OneWorkflow, "variables:\n  train:\n    lr: 0.1\n    run_name: first\n"));

        var warning = Assert.Single(set.Warnings);
        Assert.Equal(new SourceLocation(".dstack/variables.yaml", 4, 5), warning.Location);
        Assert.Contains("workflow 'train'", warning.Message, StringComparison.Ordinal);
        Assert.Contains("shadows the system variable run_name", warning.Message, StringComparison.Ordinal);
        Assert.Contains("RUN_NAME", warning.Message, StringComparison.Ordinal);
        Assert.Contains("'first'", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AGlobalVariableNamedJobId_GivesAWarning_ForEveryWorkflow()
    {
        var set = WorkflowSetParser.Parse(DstackFiles.Workflows(OneWorkflow, "variables:\n  global:\n    job_id: fixed\n"));

        var warning = Assert.Single(set.Warnings);
        Assert.Contains("every workflow", warning.Message, StringComparison.Ordinal);
        Assert.Contains("system variable job_id", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoVariablesExportedUnderOneEnvironmentName_GiveOneWarning_SayingWhichValueWins()
    {
        var set = WorkflowSetParser.Parse(DstackFiles.Workflows(OneWorkflow, "variables:\n  global:\n    batch-size: 1\n  train:\n    batch_size: 2\n"));

        var warning = Assert.Single(set.Warnings);
        Assert.Equal(new SourceLocation(".dstack/variables.yaml", 5, 5), warning.Location);
        Assert.Contains("'batch-size' and 'batch_size'", warning.Message, StringComparison.Ordinal);
        Assert.Contains("BATCH_SIZE; it holds the value of 'batch_size'", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADuplicateVariableInOneSection_IsRefused() =>
        Assert.Contains("Duplicate key", ParseErrors.Single(OneWorkflow, "variables:\n  train:\n    lr: 1\n    lr: 2\n").Message, StringComparison.Ordinal);

    [Fact]
    public void AWorkflowVariable_ShadowsTheGlobalOfTheSameName()
    {
        var set = WorkflowSetParser.Parse(DstackFiles.Workflows(OneWorkflow, "variables:\n  global:\n    lr: 1\n    seed: 7\n  train:\n    lr: 2\n"));

        Assert.Equal([("seed", "7"), ("lr", "2")], set.VariablesOf("train").Select(v => (v.Name, v.Value)));
    }
}
