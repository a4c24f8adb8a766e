using Dstack.EndToEnd.Tests.Infrastructure;

namespace Dstack.EndToEnd.Tests.Workflows;

/// <summary>Bad workflow files are refused with file:line:column and a non-zero exit, and nothing is submitted.</summary>
public class WorkflowFileErrorTests
{
    [Theory]
    [InlineData("workflows:\n  - name: a\n    commands: [echo a\n", ".dstack/workflows.yaml:4:1: invalid YAML")]
    [InlineData("workflows:\n  - name: a\n    commandz: [echo a]\n", ".dstack/workflows.yaml:3:5")]
    [InlineData("workflows:\n  - name: a\n", ".dstack/workflows.yaml:2:")]
    [InlineData("workflows:\n  - name: a\n    commands: [echo]\n  - name: a\n    commands: [echo]\n", ".dstack/workflows.yaml:4:")]
    [InlineData("workflows:\n  - name: a\n    depends-on: [nope]\n    commands: [echo]\n", ".dstack/workflows.yaml:3:")]
    [InlineData("workflows:\n  - name: a\n    commands:\n      - echo ${{ nope }}\n", ".dstack/workflows.yaml:4:")]
    [InlineData("workflows:\n  - name: a\n    commands: [echo]\n    artifacts: [../out]\n", ".dstack/workflows.yaml:4:")]
    [InlineData("workflows:\n  - name: a\n    commands: [echo]\n    artifacts: [/abs]\n", ".dstack/workflows.yaml:4:")]
    public void Run_RefusesABadWorkflowFile_NamingFileLineAndColumn(string yaml, string expectedLocation)
    {
        using var sandbox = new DstackSandbox().WithWorkflows(yaml).Initialised();
        var result = sandbox.Dstack("run", "a");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expectedLocation, result.Stderr);
        Assert.Empty(sandbox.Status("--last", "10"));
    }

    [Fact]
    public void Run_RefusesADependencyCycle_NamingTheCycle()
    {
        const string yaml = """
            workflows:
              - name: a
                depends-on: [b]
                commands: [echo a]
              - name: b
                depends-on: [a]
                commands: [echo b]
            """;
        using var sandbox = new DstackSandbox().WithWorkflows(yaml).Initialised();
        var result = sandbox.Dstack("run", "a");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(".dstack/workflows.yaml:", result.Stderr);
        Assert.Matches(@"a -> b -> a|b -> a -> b", result.Stderr);
    }

    [Fact]
    public void Run_RefusesAVariableNamedLikeOneOfRunsOwnOptions()
    {
        using var sandbox = new DstackSandbox()
            .WithWorkflows("workflows:\n  - name: a\n    commands: [echo]\n", "variables:\n  global:\n    follow: yes\n")
            .Initialised();
        var result = sandbox.Dstack("run", "a");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(".dstack/variables.yaml:3:", result.Stderr);
        Assert.Contains("follow", result.Stderr);
    }

    [Fact]
    public void Run_RefusesAnUnknownWorkflow_ListingTheKnownOnes()
    {
        using var sandbox = new DstackSandbox().WithWorkflows("workflows:\n  - name: train\n    commands: [echo]\n").Initialised();
        var result = sandbox.Dstack("run", "trian");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("trian", result.Stderr);
        Assert.Contains("train", result.Stderr);
    }

    [Fact]
    public void Run_RefusesAnUnknownVariableOption()
    {
        using var sandbox = new DstackSandbox()
            .WithWorkflows("workflows:\n  - name: a\n    commands: [echo]\n", "variables:\n  global:\n    model: 124M\n")
            .Initialised();
        var result = sandbox.Dstack("run", "a", "--modle", "117M");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--modle", result.Stderr);
        Assert.Empty(sandbox.Status("--last", "10"));
    }
}
