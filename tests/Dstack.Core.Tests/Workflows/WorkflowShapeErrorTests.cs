using Dstack.Core.Tests.TestSupport;
using Dstack.Core.Workflows;

namespace Dstack.Core.Tests.Workflows;

/// <summary>Problems inside one workflow entry: missing or misshapen keys.</summary>
public class WorkflowShapeErrorTests
{
    [Fact]
    public void AnUnknownKey_IsRefused_ListingTheAllowedKeys_AndSuggestingTheLikelyOne()
    {
        var error = ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n    working-dir: src\n");

        Assert.Equal(new SourceLocation(".dstack/workflows.yaml", 4, 5), error.Location);
        Assert.Contains("unknown key 'working-dir' in workflow 'a'", error.Message, StringComparison.Ordinal);
        Assert.Contains("allowed keys: name, commands, artifacts, depends-on, working_dir, environment, resources, image, checkpoint_interval", error.Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'working_dir'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownKeyWithNoLikelyMatch_GetsNoSuggestion() =>
        Assert.DoesNotContain("Did you mean", ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n    gpus: 2\n").Message, StringComparison.Ordinal);

    [Fact]
    public void AMissingName_IsRefused_AtTheWorkflow()
    {
        var error = ParseErrors.Single("workflows:\n  - commands: [x]\n");

        Assert.Equal(new SourceLocation(".dstack/workflows.yaml", 2, 5), error.Location);
        Assert.Contains("has no 'name'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyName_IsRefused() =>
        Assert.Contains("'name' of workflow 1", ParseErrors.Single("workflows:\n  - name:\n    commands: [x]\n").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("my workflow")]
    [InlineData("train:v2")]
    [InlineData("-train")]
    public void ANameThatCantBeTypedAsAnArgument_IsRefused(string name) =>
        Assert.Contains("is not valid", ParseErrors.Single($"workflows:\n  - name: '{name}'\n    commands: [x]\n").Message, StringComparison.Ordinal);

    [Fact]
    public void AWorkflowNamedGlobal_IsRefused_BecauseThatSectionHoldsTheGlobalVariables() =>
        Assert.Contains("can't be named 'global'", ParseErrors.Single("workflows:\n  - name: global\n    commands: [x]\n").Message, StringComparison.Ordinal);

    [Fact]
    public void MissingCommands_AreRefused()
    {
        var error = ParseErrors.Single("workflows:\n  - name: a\n    image: python:3.11\n");

        Assert.Equal(new SourceLocation(".dstack/workflows.yaml", 2, 5), error.Location);
        Assert.Contains("workflow 'a' has no 'commands'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyCommandsList_IsRefused() =>
        Assert.Contains("empty 'commands' list", ParseErrors.Single("workflows:\n  - name: a\n    commands: []\n").Message, StringComparison.Ordinal);

    [Fact]
    public void CommandsThatAreNotAList_AreRefused_SayingHowToWriteThem()
    {
        var error = ParseErrors.Single("workflows:\n  - name: a\n    commands: python train.py\n");

        Assert.Equal(new SourceLocation(".dstack/workflows.yaml", 3, 15), error.Location);
        Assert.Contains("'commands' of workflow 'a' must be a list, not the text 'python train.py'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'- '", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACommandThatYamlReadsAsAMapping_IsRefused_SuggestingQuotes()
    {
        var error = ParseErrors.Single("workflows:\n  - name: a\n    commands:\n      - echo note: done\n");

        Assert.Equal(4, error.Location.Line);
        Assert.Contains("put the whole command in quotes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ArtifactsThatAreNotAList_AreRefused() =>
        Assert.Contains("'artifacts' of workflow 'a' must be a list", ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n    artifacts: model\n").Message, StringComparison.Ordinal);

    [Fact]
    public void AnArtifactThatIsNotAPath_IsRefused() =>
        Assert.Contains("an artifact of workflow 'a' is a mapping", ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n    artifacts:\n      - path: model\n").Message, StringComparison.Ordinal);

    [Fact]
    public void AnEnvironmentThatIsNotAMapping_IsRefused() =>
        Assert.Contains("'environment' of workflow 'a' must be a mapping", ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n    environment: [A=1]\n").Message, StringComparison.Ordinal);

    [Fact]
    public void AnEnvironmentNameThatTheShellCantExport_IsRefused() =>
        Assert.Contains("'MY-VAR' in 'environment' of workflow 'a' is not a valid environment variable name", ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n    environment:\n      MY-VAR: 1\n").Message, StringComparison.Ordinal);

    [Fact]
    public void AnEnvironmentValueThatIsNotText_IsRefused() =>
        Assert.Contains("environment variable 'A' of workflow 'a' is a list", ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n    environment:\n      A: [1, 2]\n").Message, StringComparison.Ordinal);

    [Fact]
    public void AnEmptyImage_IsRefused() =>
        Assert.Contains("'image' of workflow 'a' is nothing", ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n    image:\n").Message, StringComparison.Ordinal);

    [Fact]
    public void AWorkingDirThatIsAList_IsRefused() =>
        Assert.Contains("'working_dir' of workflow 'a' is a list", ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n    working_dir: [src]\n").Message, StringComparison.Ordinal);

    [Fact]
    public void ResourcesThatAreNotAMapping_AreRefused() =>
        Assert.Contains("'resources' of workflow 'a' must be a mapping", ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n    resources: big\n").Message, StringComparison.Ordinal);

    [Fact]
    public void AnUnknownResource_IsRefused_ListingTheKnownOnes() =>
        Assert.Contains("allowed keys: cpu, memory, gpu, interruptible", ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n    resources:\n      tpu: 1\n").Message, StringComparison.Ordinal);

    [Fact]
    public void AnUnknownGpuKey_IsRefused_ListingTheKnownOnes() =>
        Assert.Contains("allowed keys: count, name, memory", ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n    resources:\n      gpu: {count: 1, vendor: nvidia}\n").Message, StringComparison.Ordinal);

    [Fact]
    public void AGpuThatIsAList_IsRefused_ShowingBothAcceptedForms() =>
        Assert.Contains("'gpu: 1') or a mapping", ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n    resources:\n      gpu: [1]\n").Message, StringComparison.Ordinal);

    [Fact]
    public void AWorkflowThatIsNotAMapping_IsRefused() =>
        Assert.Contains("entry 1 of 'workflows' is the text 'train'", ParseErrors.Single("workflows:\n  - train\n").Message, StringComparison.Ordinal);

    [Fact]
    public void EveryProblem_IsReported_NotOnlyTheFirst()
    {
        var errors = ParseErrors.Of("workflows:\n  - name: a\n    commands: x\n    artefacts: [m]\n  - commands: [y]\n  - name: c\n");

        Assert.Equal([3, 4, 5, 6], errors.Select(e => e.Location.Line));
    }
}
