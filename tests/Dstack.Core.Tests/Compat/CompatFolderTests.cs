using Dstack.Core.Planning;
using Dstack.Core.Workflows;

namespace Dstack.Core.Tests.Compat;

public class CompatFolderTests
{
    private static int _nextId;
    private static string NextId() => $"job{Interlocked.Increment(ref _nextId):D9}";

    [Theory]
    [InlineData("gpt-2-2021-08", new[] { "download-model", "encode-dataset", "finetune-model" })]
    [InlineData("gpt-2-2022-03", new[] { "download-model", "encode-dataset", "finetune-model" })]
    [InlineData("mnist-2022-02", new[] { "download-mnist", "train-mnist" })]
    public void EveryRealFolder_Validates_WithItsWorkflowsInFileOrder(string folder, string[] workflows)
    {
        var set = CompatFolders.Parse(folder);

        Assert.Equal(workflows, set.Workflows.Select(w => w.Name));
    }

    [Fact]
    public void Finetune2021_HasTwentyThreeOptions_TheGlobalsFirst()
    {
        var options = CompatFolders.Parse("gpt-2-2021-08").OptionsOf("finetune-model");

        Assert.Equal(23, options.Count);
        Assert.Equal(["model", "models_dir"], options.Take(2).Select(o => o.Name));
        Assert.Equal("0.00002", options.Single(o => o.Name == "learning_rate").Value);
        Assert.Equal("None", options.Single(o => o.Name == "val_dataset").Value);
        Assert.Equal("0.0", options.Single(o => o.Name == "noise").Value);
    }

    [Theory]
    [InlineData("gpt-2-2021-08")]
    [InlineData("gpt-2-2022-03")]
    public void FinetuneModel_PlansDownloadThenEncodeThenFinetune(string folder)
    {
        var plan = RunPlanner.Plan(CompatFolders.Parse(folder), "finetune-model", new Dictionary<string, string>(), "fast-rabbit-1", NextId);

        Assert.Equal(["download-model", "encode-dataset", "finetune-model"], plan.Jobs.Select(j => j.Workflow));
        var finetune = plan.Jobs[2];
        Assert.Equal([plan.Jobs[0].JobId, plan.Jobs[1].JobId], finetune.DependsOnJobIds.Order());
        Assert.Equal([plan.Jobs[0].JobId], plan.Jobs[1].DependsOnJobIds);
        Assert.All(plan.Jobs, j => Assert.Equal("tensorflow/tensorflow:1.15.0-py3", j.Image));
    }

    [Fact]
    public void TrainMnist_PlansDownloadMnistFirst_WithAGpuAndItsOwnImage()
    {
        var plan = RunPlanner.Plan(CompatFolders.Parse("mnist-2022-02"), "train-mnist", new Dictionary<string, string>(), "fast-rabbit-1", NextId);

        Assert.Equal(["download-mnist", "train-mnist"], plan.Jobs.Select(j => j.Workflow));
        Assert.Equal("1", plan.Jobs[1].Resources?.GpuCount);
        Assert.Null(plan.Jobs[0].Resources);
        Assert.NotEqual(plan.Jobs[0].Image, plan.Jobs[1].Image);
        Assert.Equal("64", plan.Jobs[1].Environment["BATCH_SIZE"]);
        Assert.Equal("1000", plan.Jobs[1].Environment["TEST_BATCH_SIZE"]);
    }

    [Fact]
    public void VariablesAsArgs_InFinetune2021_ExpandsToEveryVariableOfTheWorkflow_GlobalsIncluded()
    {
        var set = CompatFolders.Parse("gpt-2-2021-08");
        var plan = RunPlanner.Plan(set, "finetune-model", new Dictionary<string, string> { ["model"] = "355M" }, "fast-rabbit-1", () => "a1b2c3d4e5f6");

        var command = plan.Jobs[2].Commands.Single(c => c.Contains("train.py", StringComparison.Ordinal));
        Assert.Contains("--model 355M --models_dir model --dataset input.npz", command, StringComparison.Ordinal);
        Assert.Contains("--learning_rate 0.00002", command, StringComparison.Ordinal);
        Assert.Contains("--val_dataset None", command, StringComparison.Ordinal);
        Assert.Contains("--val_every 0", command, StringComparison.Ordinal);
        Assert.DoesNotContain("$variables_as_args", command, StringComparison.Ordinal);
        Assert.Equal(set.VariablesOf("finetune-model").Count, command.Split(' ').Count(word => word.StartsWith("--", StringComparison.Ordinal)) - 3);
    }

    [Fact]
    public void VariablesAsArgs_WithoutOverrides_ContainsTheDefaultModel()
    {
        var plan = RunPlanner.Plan(CompatFolders.Parse("gpt-2-2021-08"), "finetune-model", new Dictionary<string, string>(), "fast-rabbit-1", NextId);

        Assert.Contains("--model 124M", plan.Jobs[2].Commands[1], StringComparison.Ordinal);
    }

    [Fact]
    public void ArtifactPathsWithVariables_AreSubstituted_WithTheModelAndTheJobId()
    {
        var plan = RunPlanner.Plan(CompatFolders.Parse("gpt-2-2021-08"), "finetune-model", new Dictionary<string, string>(), "fast-rabbit-1", () => "00aa11bb22cc");

        Assert.Equal(["models/124M"], plan.Jobs[0].Artifacts);
        Assert.Equal(["models/124M", "checkpoint/00aa11bb22cc", "samples/00aa11bb22cc"], plan.Jobs[2].Artifacts);
        Assert.Equal(["requirements.txt", "download_model.py"], plan.Jobs[0].RepoIncludes);
    }

    [Fact]
    public void RunNameClash2021_GivesAWarningWithFileAndLine_AndTheUserValueWins()
    {
        var set = CompatFolders.Parse("gpt-2-2021-08");

        var warning = Assert.Single(set.Warnings);
        Assert.Equal(".dstack/variables.yaml", warning.Location.File);
        Assert.Equal(ExpectedLineOf("gpt-2-2021-08", "run_name:"), warning.Location.Line);
        Assert.Contains("finetune-model", warning.Message, StringComparison.Ordinal);
        Assert.Contains("run_name", warning.Message, StringComparison.Ordinal);
        Assert.Matches(@"^\.dstack/variables\.yaml:\d+:5: ", warning.ToString());

        var plan = RunPlanner.Plan(set, "finetune-model", new Dictionary<string, string>(), "fast-rabbit-1", NextId);
        Assert.Equal("run1", plan.Jobs[2].Environment["RUN_NAME"]);
        Assert.Equal("fast-rabbit-1", plan.Jobs[0].Environment["RUN_NAME"]);
    }

    [Theory]
    [InlineData("gpt-2-2022-03")]
    [InlineData("mnist-2022-02")]
    public void FoldersWithoutAClash_HaveNoWarnings(string folder) =>
        Assert.Empty(CompatFolders.Parse(folder).Warnings);

    [Fact]
    public void RunName2022_IsTheRunsName_InTheFinetuneCommand()
    {
        var plan = RunPlanner.Plan(CompatFolders.Parse("gpt-2-2022-03"), "finetune-model", new Dictionary<string, string>(), "fast-rabbit-1", NextId);

        Assert.Contains("--run_name fast-rabbit-1 --dataset", plan.Jobs[2].Commands[1], StringComparison.Ordinal);
    }

    private static int ExpectedLineOf(string folder, string text)
    {
        var lines = File.ReadAllLines(Path.Combine(CompatFolders.Root, folder, ".dstack", "variables.yaml"));
        return Array.FindIndex(lines, l => l.TrimStart().StartsWith(text, StringComparison.Ordinal)) + 1;
    }
}
