using Dstack.Core.Tests.TestSupport;
using Dstack.Core.Workflows;

namespace Dstack.Core.Tests.Workflows;

public class WorkflowSetParserShapeTests
{
    [Fact]
    public void ObjectDependsOn_GivesTheWorkflowsAndTheRepoIncludes()
    {
        var set = Fixture.Parse("speech-2021");

        var vocab = set.Find("build-vocab")!;
        Assert.Equal(["fetch-corpus"], vocab.DependsOn.Select(d => d.Workflow));
        Assert.Equal(["vocab.py", "lib/tokens.py"], vocab.RepoIncludes);
        Assert.Empty(set.Find("fetch-corpus")!.DependsOn);
        Assert.Equal(["requirements.txt", "fetch.py"], set.Find("fetch-corpus")!.RepoIncludes);
        Assert.Equal(["fetch-corpus", "build-vocab"], set.Find("train-asr")!.DependsOn.Select(d => d.Workflow));
        Assert.Empty(set.Find("train-asr")!.RepoIncludes);
    }

    [Fact]
    public void BothDependsOnForms_InOneFile_AreRead()
    {
        var set = Fixture.Parse("mixed-2022");

        Assert.Equal(["prepare"], set.Find("featurize")!.DependsOn.Select(d => d.Workflow));
        Assert.Equal(["featurize.py"], set.Find("featurize")!.RepoIncludes);
        Assert.Equal(["prepare", "featurize"], set.Find("fit")!.DependsOn.Select(d => d.Workflow));
        Assert.All(set.Find("fit")!.DependsOn, d => Assert.Null(d.Tag));
    }

    [Fact]
    public void VariableValues_AreTheScalarTextExactlyAsWritten()
    {
        var set = WorkflowSetParser.Parse(DstackFiles.Workflows(
            "workflows:\n  - name: w\n    commands: [echo]\n",
            "variables:\n  w:\n    lr: 0.00002\n    missing: None\n    zero: 0.0\n    one: 1.0\n    padded: '007'\n    hex: 0x1F\n    flag: yes\n    nothing:\n    tilde: ~\n    spaced: \"a b\"\n"));

        var values = set.VariablesOf("w").ToDictionary(v => v.Name, v => v.Value);
        Assert.Equal("0.00002", values["lr"]);
        Assert.Equal("None", values["missing"]);
        Assert.Equal("0.0", values["zero"]);
        Assert.Equal("1.0", values["one"]);
        Assert.Equal("007", values["padded"]);
        Assert.Equal("0x1F", values["hex"]);
        Assert.Equal("yes", values["flag"]);
        Assert.Equal("", values["nothing"]);
        Assert.Equal("~", values["tilde"]);
        Assert.Equal("a b", values["spaced"]);
    }

    [Fact]
    public void Variables_ListGlobalsFirst_ThenEachWorkflowsOwn_InFileOrder()
    {
        var set = Fixture.Parse("speech-2021");

        Assert.Equal(["corpus", "corpus_dir"], set.Variables.Take(2).Select(v => v.Name));
        Assert.All(set.Variables.Take(2), v => Assert.True(v.IsGlobal));
        Assert.Equal(15, set.Variables.Count);
        Assert.Equal("vocab_size", set.Variables[^1].Name);
        // train-asr's options: 2 globals, its own 12 and vocab_size of build-vocab, which it depends on.
        Assert.Equal(15, set.OptionsOf("train-asr").Count);
        Assert.Equal("vocab_size", set.OptionsOf("train-asr")[^1].Name);
        Assert.Equal(["corpus", "corpus_dir", "vocab_size"], set.OptionsOf("build-vocab").Select(v => v.Name));
    }

    [Fact]
    public void HyphenatedVariables_GpuCount_AndADifferentImagePerWorkflow_AreRead()
    {
        var set = Fixture.Parse("images-hyphens");

        Assert.Equal(["batch-size", "eval-batch-size", "epochs", "learning-rate", "log-every"], set.VariablesOf("train-cnn").Select(v => v.Name));
        var train = set.Find("train-cnn")!;
        Assert.Equal(new WorkflowResources { GpuCount = "1" }, train.Resources);
        Assert.Equal("alpine:3.15", set.Find("get-data")!.Image);
        Assert.Equal("pytorch/pytorch:1.11.0-cuda11.3-cudnn8-runtime", train.Image);
        Assert.Equal("src", train.WorkingDir);
        Assert.Equal("lib", train.Environment["PYTHONPATH"]);
        Assert.Null(set.Find("get-data")!.WorkingDir);
        Assert.Empty(set.Warnings);
    }

    [Fact]
    public void WorkflowsFolder_IsMergedAfterWorkflowsYaml_InPathOrder()
    {
        var set = Fixture.Parse("split");

        Assert.Equal(["lint", "build", "test"], set.Workflows.Select(w => w.Name));
        Assert.Equal(".dstack/workflows/a-build.yaml", set.Find("build")!.Location.File);
    }

    [Fact]
    public void GpuAsAMapping_AndTheOtherResources_AreReadAsWritten()
    {
        var test = Fixture.Parse("split").Find("test")!;

        Assert.Equal(new WorkflowResources { Cpu = "4", Memory = "8GB", Interruptible = "true", GpuCount = "2", GpuName = "A100", GpuMemory = "40GB" }, test.Resources);
    }

    [Fact]
    public void TagDependency_KeepsItsTag()
    {
        var test = Fixture.Parse("split").Find("test")!;

        Assert.Equal([("build", (string?)null), ("build", "nightly")], test.DependsOn.Select(d => (d.Workflow, d.Tag)));
    }

    [Fact]
    public void TheWorkflowsFolderAlone_IsEnough_AndVariablesAreOptional()
    {
        var set = WorkflowSetParser.Parse(DstackFiles.Of(("workflows/only.yaml", "workflows:\n  - name: only\n    commands: [true]\n")));

        Assert.Equal("only", Assert.Single(set.Workflows).Name);
        Assert.Empty(set.Variables);
    }

    [Fact]
    public void FilesThatAreNotWorkflowFiles_AreIgnored()
    {
        var set = WorkflowSetParser.Parse(DstackFiles.Of(
            ("workflows.yaml", "workflows:\n  - name: a\n    commands: [true]\n"),
            ("workflows/nested/b.yaml", "not: [valid"),
            ("workflows/c.yml", "not: [valid"),
            ("notes.txt", "not: [valid")));

        Assert.Equal("a", Assert.Single(set.Workflows).Name);
    }

    [Fact]
    public void Locations_AreOneBasedLinesAndColumns_OfWhereThingsAreWritten()
    {
        var set = Fixture.Parse("speech-2021");

        Assert.Equal(new SourceLocation(".dstack/workflows.yaml", Fixture.LineOf("speech-2021", "workflows.yaml", "name: build-vocab"), 5), set.Find("build-vocab")!.Location);
        var lr = set.Variables.Single(v => v.Name == "lr");
        Assert.Equal(new SourceLocation(".dstack/variables.yaml", Fixture.LineOf("speech-2021", "variables.yaml", "lr:"), 5), lr.Location);
        var dependency = set.Find("train-asr")!.DependsOn[1];
        Assert.Equal(Fixture.LineOf("speech-2021", "workflows.yaml", "- build-vocab"), dependency.Location.Line);
        Assert.Equal(11, dependency.Location.Column);
    }

    [Fact]
    public void EmptyOptionalSections_AreAccepted()
    {
        var set = WorkflowSetParser.Parse(DstackFiles.Workflows(
            "workflows:\n  - name: a\n    commands: [true]\n    artifacts:\n    depends-on:\n    environment:\n    resources:\n",
            "variables:\n  global:\n  a:\n"));

        var a = Assert.Single(set.Workflows);
        Assert.Empty(a.Artifacts);
        Assert.Empty(a.DependsOn);
        Assert.Null(a.Resources);
    }

    [Fact]
    public void AnEmptyWorkflowsList_GivesAnEmptySet()
    {
        var set = WorkflowSetParser.Parse(DstackFiles.Workflows("workflows: []\n"));

        Assert.Empty(set.Workflows);
    }
}
