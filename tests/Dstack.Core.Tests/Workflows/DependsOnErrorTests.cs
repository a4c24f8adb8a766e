using Dstack.Core.Tests.TestSupport;
using Dstack.Core.Workflows;

namespace Dstack.Core.Tests.Workflows;

public class DependsOnErrorTests
{
    [Fact]
    public void DuplicateWorkflowNames_AreRefused_SayingWhereTheFirstIs()
    {
        var errors = ParseErrors.Of(DstackFiles.Of(
            ("workflows.yaml", "workflows:\n  - name: train\n    commands: [x]\n"),
            ("workflows/more.yaml", "workflows:\n  - name: eval\n    commands: [x]\n  - name: train\n    commands: [y]\n")));

        var error = Assert.Single(errors);
        Assert.Equal(new SourceLocation(".dstack/workflows/more.yaml", 4, 5), error.Location);
        Assert.Contains("workflow 'train' is defined twice; the first is at .dstack/workflows.yaml:2:5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownDependency_IsRefused_ListingTheWorkflows()
    {
        var error = ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n  - name: b\n    commands: [x]\n    depends-on: [a, prep]\n");

        Assert.Equal(new SourceLocation(".dstack/workflows.yaml", 6, 21), error.Location);
        Assert.Contains("depends on 'prep', which is not defined; the workflows are: a, b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownDependencyInTheObjectForm_IsRefused() =>
        Assert.Contains("'nope'", ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n    depends-on:\n      workflows: [nope]\n").Message, StringComparison.Ordinal);

    [Fact]
    public void ACycle_IsRefused_NamingTheCycle()
    {
        var error = ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n    depends-on: [c]\n  - name: b\n    commands: [x]\n    depends-on: [a]\n  - name: c\n    commands: [x]\n    depends-on:\n      workflows: [b]\n");

        Assert.Contains("dependency cycle: a -> c -> b -> a", error.Message, StringComparison.Ordinal);
        Assert.Equal(7, error.Location.Line);
    }

    [Fact]
    public void AWorkflowDependingOnItself_IsACycle() =>
        Assert.Contains("dependency cycle: a -> a", ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n    depends-on: [a]\n").Message, StringComparison.Ordinal);

    [Fact]
    public void TwoSeparateCycles_AreBothReported()
    {
        var errors = ParseErrors.Of("workflows:\n  - name: a\n    commands: [x]\n    depends-on: [b]\n  - name: b\n    commands: [x]\n    depends-on: [a]\n  - name: c\n    commands: [x]\n    depends-on: [c]\n");

        Assert.Equal(2, errors.Count(e => e.Message.StartsWith("dependency cycle", StringComparison.Ordinal)));
    }

    [Fact]
    public void ATaggedDependencyOnItself_IsNotACycle()
    {
        var set = WorkflowSetParser.Parse(DstackFiles.Workflows("workflows:\n  - name: a\n    commands: [x]\n    depends-on: ['a:last-good']\n"));

        Assert.Equal("last-good", Assert.Single(set.Find("a")!.DependsOn).Tag);
    }

    [Theory]
    [InlineData(":tag")]
    [InlineData("a:")]
    [InlineData("a:b:c")]
    public void AMalformedTagDependency_IsRefused(string entry) =>
        Assert.Contains("is not 'name' nor 'name:tag'", ParseErrors.Single($"workflows:\n  - name: a\n    commands: [x]\n    depends-on: ['{entry}']\n").Message, StringComparison.Ordinal);

    [Fact]
    public void DependsOnAsText_IsRefused_ShowingBothForms() =>
        Assert.Contains("write a list of workflow names", ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n    depends-on: b\n").Message, StringComparison.Ordinal);

    [Fact]
    public void AnUnknownKeyInTheObjectForm_IsRefused() =>
        Assert.Contains("allowed keys: repo, workflows", ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n    depends-on:\n      code: [x.py]\n").Message, StringComparison.Ordinal);

    [Fact]
    public void AnUnknownKeyUnderRepo_IsRefused() =>
        Assert.Contains("allowed keys: include", ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n    depends-on:\n      repo:\n        exclude: [x.py]\n").Message, StringComparison.Ordinal);

    [Fact]
    public void RepoThatIsNotAMapping_IsRefused() =>
        Assert.Contains("'depends-on: repo' of workflow 'a' must be a mapping", ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n    depends-on:\n      repo: [x.py]\n").Message, StringComparison.Ordinal);

    [Fact]
    public void IncludeThatIsNotAList_IsRefused() =>
        Assert.Contains("include' of workflow 'a' must be a list", ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n    depends-on:\n      repo:\n        include: x.py\n").Message, StringComparison.Ordinal);

    [Fact]
    public void WorkflowsOfTheObjectFormThatAreNotAList_AreRefused() =>
        Assert.Contains("'depends-on: workflows' of workflow 'a' must be a list", ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n    depends-on:\n      workflows: b\n").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("/etc/passwd", "is absolute")]
    [InlineData("../other-repo/x.py", "contains '..'")]
    public void AnIncludePathOutsideTheRepository_IsRefused(string path, string problem) =>
        Assert.Contains(problem, ParseErrors.Single($"workflows:\n  - name: a\n    commands: [x]\n    depends-on:\n      repo:\n        include: ['{path}']\n").Message, StringComparison.Ordinal);

    [Fact]
    public void AnEmptyDependencyEntry_IsRefused() =>
        Assert.Contains("an entry of 'depends-on' of workflow 'a' is nothing", ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n    depends-on:\n      -\n").Message, StringComparison.Ordinal);
}
