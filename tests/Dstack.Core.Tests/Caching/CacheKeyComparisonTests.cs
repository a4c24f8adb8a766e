using Dstack.Core.Caching;
using Dstack.Core.Workflows;

namespace Dstack.Core.Tests.Caching;

public sealed class CacheKeyComparisonTests
{
    private static readonly CacheKeyParts Earlier = new()
    {
        RepoUrl = "https://example.com/repo.git",
        Code = new Dictionary<string, string> { ["tree"] = "t1", ["changes"] = "none" },
        Definition = new JobDefinition
        {
            Commands = ["python3 train.py"],
            Environment = new Dictionary<string, string> { ["MODEL"] = "117M" },
            WorkingDir = ".",
            Artifacts = ["checkpoint"],
        },
        Variables = new Dictionary<string, string> { ["model"] = "117M", ["lr"] = "0.1" },
        Dependencies = new Dictionary<string, string> { ["prepare"] = "k1" },
    };

    private static IReadOnlyList<string> Differences(CacheKeyParts now) => CacheKeyComparison.Differences(now, Earlier);

    [Fact]
    public void EqualParts_HaveNoDifference() => Assert.Empty(Differences(Earlier with { }));

    [Fact]
    public void AChangedVariable_ShowsBothValues() =>
        Assert.Equal(["variable model: 117M -> 345M"], Differences(Earlier with { Variables = new Dictionary<string, string> { ["model"] = "345M", ["lr"] = "0.1" } }));

    [Fact]
    public void ANewAndARemovedVariable_AreNamedSo() =>
        Assert.Equal(["variable batch: new (32)", "variable lr: removed (was 0.1)"],
            Differences(Earlier with { Variables = new Dictionary<string, string> { ["model"] = "117M", ["batch"] = "32" } }));

    [Fact]
    public void ALongValue_IsShortened() =>
        Assert.Equal([$"variable lr: 0.1 -> {new string('9', 37)}..."],
            Differences(Earlier with { Variables = new Dictionary<string, string> { ["model"] = "117M", ["lr"] = new string('9', 50) } }));

    [Fact]
    public void TheCommitsFilesAndTheUncommittedChanges_AreToldApart()
    {
        Assert.Equal(["code: committed files"], Differences(Earlier with { Code = new Dictionary<string, string> { ["tree"] = "t2", ["changes"] = "none" } }));
        Assert.Equal(["code: uncommitted changes"], Differences(Earlier with { Code = new Dictionary<string, string> { ["tree"] = "t1", ["changes"] = "c1" } }));
    }

    [Fact]
    public void IncludedPaths_NameThePathThatDiffers()
    {
        var before = Earlier with { Code = new Dictionary<string, string> { ["src object"] = "o1", ["src changes"] = "none", ["lib object"] = "l1", ["lib changes"] = "none" } };
        var after = before with { Code = new Dictionary<string, string> { ["src object"] = "o2", ["src changes"] = "none", ["lib object"] = "l1", ["lib changes"] = "c1" } };

        Assert.Equal(["code: committed files (src)", "code: uncommitted changes (lib)"], CacheKeyComparison.Differences(after, before));
    }

    [Fact]
    public void ADifferentSetOfIncludedPaths_IsSaidOnce() =>
        Assert.Equal(["code: the paths it depends on (now src)"],
            Differences(Earlier with { Code = new Dictionary<string, string> { ["src object"] = "o1", ["src changes"] = "none" } }));

    [Fact]
    public void Dependencies_SayWhichOneDiffers()
    {
        Assert.Equal(["dependency prepare: its key differs"], Differences(Earlier with { Dependencies = new Dictionary<string, string> { ["prepare"] = "k2" } }));
        Assert.Equal(["dependency prepare: removed", "dependency prepare:best: new"],
            Differences(Earlier with { Dependencies = new Dictionary<string, string> { ["prepare:best"] = "k3" } }));
    }

    [Fact]
    public void TheDefinition_NamesEachPieceThatDiffers()
    {
        var now = Earlier with
        {
            Definition = Earlier.Definition with
            {
                Commands = ["python3 train.py --fast"],
                Image = "python:3.11",
                WorkingDir = "src",
                Artifacts = ["checkpoint", "samples"],
                Resources = new WorkflowResources { GpuCount = "1" },
            },
        };

        Assert.Equal(["definition: commands", "definition: image", "definition: working_dir", "definition: artifacts", "definition: resources"], Differences(now));
    }

    [Fact]
    public void AChangedVariable_ExplainsTheDefinitionItWasSubstitutedInto()
    {
        var variables = new Dictionary<string, string>(Earlier.Variables) { ["model"] = "345M" };
        var now = Earlier with
        {
            Variables = variables,
            Definition = Earlier.Definition with { Commands = ["python3 train.py --model 345M"] },
        };

        Assert.Equal(["variable model: 117M -> 345M"], Differences(now));
    }

    [Fact]
    public void AnotherRepository_IsNamed() =>
        Assert.Equal(["repository URL: https://example.com/repo.git -> https://example.com/fork.git"], Differences(Earlier with { RepoUrl = "https://example.com/fork.git" }));

    [Fact]
    public void AnotherVersionOfTheKey_IsTheOnlyDifferenceShown() =>
        Assert.Equal(["the key's format (version 1 -> 2): jobs of older versions of dstack are not reused"],
            Differences(Earlier with { Version = 2, Variables = new Dictionary<string, string>() }));
}
