using Dstack.Contracts.Runs;
using Dstack.Core.Workflows;
using Dstack.Server.Runs;

namespace Dstack.Server.Tests.Runs;

public class ParsedWorkflowFilesTests
{
    private static IReadOnlyList<WorkflowFileContent> Files(string commands) =>
        [new WorkflowFileContent(".dstack/workflows.yaml", $"workflows:\n  - name: train\n    commands: [{commands}]\n")];

    [Fact]
    public void TheSameFilesAreParsedOnce_OtherContentAgain()
    {
        var parsed = new ParsedWorkflowFiles();
        var first = parsed.Parse(Files("echo a"));
        Assert.Same(first, parsed.Parse(Files("echo a")));
        var other = parsed.Parse(Files("echo b"));
        Assert.NotSame(first, other);
        Assert.Equal("echo b", other.Find("train")!.Commands.Single());
    }

    [Fact]
    public void ThePathCountsAsMuchAsTheContent()
    {
        var parsed = new ParsedWorkflowFiles();
        var content = "workflows:\n  - name: train\n    commands: [echo a]\n";
        var main = parsed.Parse([new WorkflowFileContent(".dstack/workflows.yaml", content)]);
        var split = parsed.Parse([new WorkflowFileContent(".dstack/workflows/train.yaml", content)]);
        Assert.NotSame(main, split);
    }

    [Fact]
    public void FilesThatDoNotParse_AreRefusedEveryTime()
    {
        var parsed = new ParsedWorkflowFiles();
        IReadOnlyList<WorkflowFileContent> broken = [new WorkflowFileContent(".dstack/workflows.yaml", "workflows:\n  - commands: [echo]\n")];
        Assert.Throws<WorkflowFileException>(() => parsed.Parse(broken));
        Assert.Throws<WorkflowFileException>(() => parsed.Parse(broken));
    }

    [Fact]
    public void OnlyTheLastFewAreKept()
    {
        var parsed = new ParsedWorkflowFiles();
        var oldest = parsed.Parse(Files("echo 0"));
        for (var i = 1; i <= 8; i++) parsed.Parse(Files($"echo {i}"));
        Assert.NotSame(oldest, parsed.Parse(Files("echo 0")));
    }
}
