using Dstack.Core.Planning;
using Dstack.Core.Tests.TestSupport;
using Dstack.Core.Workflows;

namespace Dstack.Core.Tests.Planning;

public class RunPlannerTests
{
    private static readonly Dictionary<string, string> NoOverrides = [];

    private static Func<string> SequentialIds()
    {
        var n = 0;
        return () => $"{++n:x12}";
    }

    private static RunPlan Plan(string fixture, string workflow, Dictionary<string, string>? overrides = null, string runName = "fast-rabbit-1") =>
        RunPlanner.Plan(Fixture.Parse(fixture), workflow, overrides ?? NoOverrides, runName, SequentialIds());

    private static WorkflowSet Parse(string workflows, string? variables = null) => WorkflowSetParser.Parse(DstackFiles.Workflows(workflows, variables));

    [Fact]
    public void TheClosure_IsPlanned_DependenciesFirst_TheRequestedWorkflowLast()
    {
        var plan = Plan("speech-2021", "train-asr");

        Assert.Equal("fast-rabbit-1", plan.RunName);
        Assert.Equal("train-asr", plan.Workflow);
        Assert.Equal(["fetch-corpus", "build-vocab", "train-asr"], plan.Jobs.Select(j => j.Workflow));
        Assert.Equal(["000000000001", "000000000002", "000000000003"], plan.Jobs.Select(j => j.JobId));
        Assert.Empty(plan.Jobs[0].DependsOnJobIds);
        Assert.Equal(["000000000001"], plan.Jobs[1].DependsOnJobIds);
        Assert.Equal(["000000000001", "000000000002"], plan.Jobs[2].DependsOnJobIds);
    }

    [Fact]
    public void ADiamond_PlansEachWorkflowOnce()
    {
        var set = Parse("workflows:\n  - name: base\n    commands: [x]\n  - name: left\n    commands: [x]\n    depends-on: [base]\n  - name: right\n    commands: [x]\n    depends-on: [base]\n  - name: top\n    commands: [x]\n    depends-on: [left, right]\n");
        var calls = 0;

        var plan = RunPlanner.Plan(set, "top", NoOverrides, "r", () => $"{++calls:x12}");

        Assert.Equal(["base", "left", "right", "top"], plan.Jobs.Select(j => j.Workflow));
        Assert.Equal(4, calls);
    }

    [Fact]
    public void AWorkflowWithoutDependencies_IsOneJob() =>
        Assert.Equal(["fetch-corpus"], Plan("speech-2021", "fetch-corpus").Jobs.Select(j => j.Workflow));

    [Fact]
    public void AnUnknownWorkflow_IsRefused_ListingTheWorkflows()
    {
        var e = Assert.Throws<PlanningException>(() => Plan("speech-2021", "train"));

        Assert.Equal("unknown workflow 'train'; the workflows are: fetch-corpus, build-vocab, train-asr.", e.Message);
    }

    [Fact]
    public void AnOverrideNoWorkflowOfTheRunHas_IsRefused_NamingIt()
    {
        var e = Assert.Throws<PlanningException>(() => Plan("speech-2021", "fetch-corpus", new() { ["epochs"] = "3", ["corpus"] = "x" }));

        Assert.Contains("unknown variable 'epochs' for workflow 'fetch-corpus'", e.Message, StringComparison.Ordinal);
        Assert.Contains("its variables are: corpus, corpus_dir", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOverrideOfAWorkflowWithNoVariables_SaysItHasNone() =>
        Assert.Contains("it has none", Assert.Throws<PlanningException>(() => Plan("split", "lint", new() { ["x"] = "1" })).Message, StringComparison.Ordinal);

    [Fact]
    public void AGlobalOverride_AppliesToEveryJobOfTheRun()
    {
        var plan = Plan("speech-2021", "train-asr", new() { ["corpus"] = "common-voice" });

        Assert.Equal("python fetch.py --corpus common-voice --into corpora/common-voice", plan.Jobs[0].Commands[1]);
        Assert.Equal(["corpora/common-voice"], plan.Jobs[0].Artifacts);
        Assert.Equal("python vocab.py --corpus corpora/common-voice --size 5000", plan.Jobs[1].Commands[0]);
        Assert.Equal(["weights/common-voice", "runs/000000000003"], plan.Jobs[2].Artifacts);
        Assert.All(plan.Jobs, j => Assert.Equal(new Dictionary<string, string> { ["corpus"] = "common-voice" }, j.OverriddenVariables));
        Assert.All(plan.Jobs, j => Assert.Equal("common-voice", j.Environment["CORPUS"]));
    }

    [Fact]
    public void AnOverrideOfADependencysOwnVariable_AppliesToThatJobOnly()
    {
        var plan = Plan("speech-2021", "train-asr", new() { ["vocab_size"] = "8000" });

        Assert.Equal("python vocab.py --corpus corpora/librispeech-100 --size 8000", plan.Jobs[1].Commands[0]);
        Assert.Equal(new Dictionary<string, string> { ["vocab_size"] = "8000" }, plan.Jobs[1].OverriddenVariables);
        Assert.Empty(plan.Jobs[0].OverriddenVariables);
        Assert.Empty(plan.Jobs[2].OverriddenVariables);
        Assert.DoesNotContain(plan.Jobs[2].Variables, v => v.Key == "vocab_size");
    }

    [Fact]
    public void Variables_AreTheGlobalsThenTheWorkflowsOwn_InDefinitionOrder_WithOverridesApplied()
    {
        var plan = Plan("speech-2021", "train-asr", new() { ["lr"] = "0.001" });

        var train = plan.Jobs[2];
        Assert.Equal(["corpus", "corpus_dir", "epochs", "lr", "warmup"], train.Variables.Take(5).Select(v => v.Key));
        Assert.Equal(14, train.Variables.Count);
        Assert.Equal("0.001", train.Variables.Single(v => v.Key == "lr").Value);
        Assert.Equal("0.0", train.Variables.Single(v => v.Key == "warmup").Value);
        Assert.Equal("None", train.Variables.Single(v => v.Key == "eval_set").Value);
        Assert.Contains("--lr 0.001 --warmup 0.0", train.Commands[0], StringComparison.Ordinal);
        Assert.StartsWith("python train.py --tag 000000000003 --corpus librispeech-100 --corpus librispeech-100 --corpus_dir corpora --epochs 30", train.Commands[0], StringComparison.Ordinal);
    }

    [Fact]
    public void TheEnvironment_HasEveryVariableUpperCased_RunNameAndJobId_ThenTheWorkflowsOwnEntries()
    {
        var plan = Plan("images-hyphens", "train-cnn", runName: "calm-otter-3");

        var env = plan.Jobs[1].Environment;
        Assert.Equal("128", env["BATCH_SIZE"]);
        Assert.Equal("512", env["EVAL_BATCH_SIZE"]);
        Assert.Equal("0.01", env["LEARNING_RATE"]);
        Assert.Equal("calm-otter-3", env["RUN_NAME"]);
        Assert.Equal("000000000002", env["JOB_ID"]);
        Assert.Equal("lib", env["PYTHONPATH"]);
        Assert.Equal("ckpt/calm-otter-3", env["CHECKPOINTS"]);
        Assert.Equal(["RUN_NAME", "JOB_ID"], plan.Jobs[0].Environment.Keys);
    }

    [Fact]
    public void TheWorkflowsOwnEnvironment_WinsOverAVariableOfTheSameExportedName()
    {
        var set = Parse("workflows:\n  - name: a\n    commands: [x]\n    environment:\n      LR: fixed\n      RUN_NAME: mine\n", "variables:\n  a:\n    lr: 0.1\n");

        var env = RunPlanner.Plan(set, "a", NoOverrides, "r-1", SequentialIds()).Jobs[0].Environment;

        Assert.Equal("fixed", env["LR"]);
        Assert.Equal("mine", env["RUN_NAME"]);
    }

    [Fact]
    public void AUserRunNameVariable_WinsInSubstitutionAndInTheEnvironment_ForItsWorkflowOnly()
    {
        var plan = Plan("speech-2021", "train-asr");

        Assert.Equal("baseline", plan.Jobs[2].Environment["RUN_NAME"]);
        Assert.Contains("--run_name baseline", plan.Jobs[2].Commands[0], StringComparison.Ordinal);
        Assert.Equal("fast-rabbit-1", plan.Jobs[0].Environment["RUN_NAME"]);
    }

    [Fact]
    public void CommandsImageResourcesAndWorkingDir_AreSubstituted()
    {
        var set = Parse(
            "workflows:\n  - name: a\n    image: python:${{ py }}\n    working_dir: src/$pkg\n    resources:\n      memory: ${{ mem }}\n      gpu:\n        name: $gpu\n        count: 1\n    commands:\n      - echo $pkg ${{ py }}\n",
            "variables:\n  a:\n    py: '3.11'\n    pkg: core\n    mem: 16GB\n    gpu: A100\n");

        var job = RunPlanner.Plan(set, "a", new Dictionary<string, string> { ["mem"] = "32GB" }, "r", SequentialIds()).Jobs[0];

        Assert.Equal("python:3.11", job.Image);
        Assert.Equal("src/core", job.WorkingDir);
        Assert.Equal(new WorkflowResources { Memory = "32GB", GpuName = "A100", GpuCount = "1" }, job.Resources);
        Assert.Equal(["echo core 3.11"], job.Commands);
    }

    [Fact]
    public void WorkingDir_DefaultsToTheRepositoryRoot() =>
        Assert.Equal(".", Plan("split", "lint").Jobs[0].WorkingDir);

    [Theory]
    [InlineData("../elsewhere", "contains '..'")]
    [InlineData("/tmp/out", "is absolute")]
    public void AnArtifactPathThatLeavesTheWorkingDirAfterSubstitution_IsRefused(string value, string problem)
    {
        var set = Parse("workflows:\n  - name: a\n    commands: [x]\n    artifacts: [$out]\n", "variables:\n  a:\n    out: models\n");

        var e = Assert.Throws<PlanningException>(() => RunPlanner.Plan(set, "a", new Dictionary<string, string> { ["out"] = value }, "r", SequentialIds()));

        Assert.Contains($"artifact path '$out' (here '{value}') of workflow 'a' {problem}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AWorkingDirThatLeavesTheRepositoryAfterSubstitution_IsRefused()
    {
        var set = Parse("workflows:\n  - name: a\n    commands: [x]\n    working_dir: ${{ dir }}\n", "variables:\n  a:\n    dir: src\n");

        var e = Assert.Throws<PlanningException>(() => RunPlanner.Plan(set, "a", new Dictionary<string, string> { ["dir"] = "../.." }, "r", SequentialIds()));

        Assert.Contains("working_dir", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TagDependencies_AreNotPlannedAsJobs_ButCarriedOnTheJob()
    {
        var plan = Plan("split", "test");

        Assert.Equal(["build", "test"], plan.Jobs.Select(j => j.Workflow));
        var tag = Assert.Single(plan.Jobs[1].TagDependencies);
        Assert.Equal(("build", "nightly"), (tag.Workflow, tag.Tag));
        Assert.Equal([plan.Jobs[0].JobId], plan.Jobs[1].DependsOnJobIds);
    }

    [Fact]
    public void OnlyATagDependency_PlansOneJob()
    {
        var set = Parse("workflows:\n  - name: train\n    commands: [x]\n  - name: eval\n    commands: [x]\n    depends-on: ['train:best']\n");

        var plan = RunPlanner.Plan(set, "eval", NoOverrides, "r", SequentialIds());

        var job = Assert.Single(plan.Jobs);
        Assert.Empty(job.DependsOnJobIds);
        Assert.Equal("best", Assert.Single(job.TagDependencies).Tag);
    }

    [Fact]
    public void RepoIncludes_AreCarriedOnTheJob() =>
        Assert.Equal(["vocab.py", "lib/tokens.py"], Plan("speech-2021", "build-vocab").Jobs[1].RepoIncludes);

    [Fact]
    public void VariablesAsArgs_HoldsTheGlobalsAndTheWorkflowsOwn_NotThoseOfItsDependencies()
    {
        var plan = Plan("mixed-2022", "fit", new() { ["sample_size"] = "10" });

        Assert.Equal("python prepare.py --size 10", plan.Jobs[0].Commands[0]);
        Assert.Equal("python fit.py --run fast-rabbit-1 --sample_size 10 --alpha 0.5 --max_iter 200 --solver lbfgs", plan.Jobs[2].Commands[0]);
    }
}
