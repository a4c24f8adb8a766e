using Dstack.Contracts.Runs;
using Dstack.Core.Caching;
using Dstack.Core.Planning;
using Dstack.Core.Tests.TestSupport;
using Dstack.Core.Workflows;

namespace Dstack.Core.Tests.Caching;

public sealed class CodeIdentityTests
{
    private static readonly RepoCode Code = new()
    {
        Tree = "tree-1",
        Changes = "changes-1",
        Paths = new Dictionary<string, PathCode>
        {
            ["src"] = new() { Object = "src-object", Changes = "src-changes" },
            ["lib/util.py"] = new() { Object = "util-object" },
            ["new-dir"] = new(),
        },
    };

    [Fact]
    public void WithoutIncludes_TheKeyCoversTheWholeTreeAndEveryChange() =>
        Assert.Equal(new Dictionary<string, string> { ["changes"] = "changes-1", ["tree"] = "tree-1" }, CodeIdentity.Of(Code, []));

    [Fact]
    public void WithoutUncommittedChanges_TheChangesEntrySaysNone() =>
        Assert.Equal("none", CodeIdentity.Of(Code with { Changes = null }, [])["changes"]);

    [Fact]
    public void AnIncludeOfTheRoot_IsTheWholeRepository() =>
        Assert.Equal(CodeIdentity.Of(Code, []), CodeIdentity.Of(Code, ["src", "./"]));

    [Fact]
    public void WithIncludes_OnlyThosePathsEnterTheKey_InTheirNormalSpelling() =>
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["lib/util.py changes"] = "none",
                ["lib/util.py object"] = "util-object",
                ["new-dir changes"] = "none",
                ["new-dir object"] = "none",
                ["src changes"] = "src-changes",
                ["src object"] = "src-object",
            },
            CodeIdentity.Of(Code, ["./src/", "lib//util.py", "new-dir", "src"]));

    [Fact]
    public void AnIncludedPathWithoutItsIdentity_IsAPlanningError()
    {
        var error = Assert.Throws<PlanningException>(() => CodeIdentity.Of(Code, ["src", "docs/"]));

        Assert.Equal(
            "the run request carries no code identity for the included path 'docs': the client must send one for every path in 'depends-on: repo: include'.",
            error.Message);
    }

    [Fact]
    public void PathsNeeded_AreEveryWorkflowsIncludes_NormalizedOnceAndSorted()
    {
        var set = WorkflowSetParser.Parse(DstackFiles.Workflows("""
            workflows:
              - name: a
                depends-on: {repo: {include: [./src/, lib]}}
                commands: [x]
              - name: b
                depends-on: {repo: {include: [src]}, workflows: [a]}
                commands: [x]
              - name: c
                commands: [x]
            """));

        Assert.Equal(["lib", "src"], CodeIdentity.PathsNeeded(set.Workflows));
    }
}
