using Dstack.EndToEnd.Tests.Infrastructure;

namespace Dstack.EndToEnd.Tests.Workflows;

public class RunHelpTests
{
    private const string Workflows = """
        workflows:
          - name: download-model
            commands:
              - echo download ${{ model }}
            artifacts: [models]
          - name: encode-dataset
            depends-on: [download-model]
            commands: [echo encode]
          - name: finetune-model
            depends-on:
              workflows: [download-model, encode-dataset]
            commands: [echo train $variables_as_args]
        """;

    private const string Variables = """
        variables:
          global:
            model: 124M
            models_dir: model
          encode-dataset:
            encoding: utf-8
          finetune-model:
            learning_rate: 0.00002
        """;

    [Fact]
    public void RunHelp_ListsTheWorkflows()
    {
        using var sandbox = new DstackSandbox().WithWorkflows(Workflows, Variables);
        var result = sandbox.Ok("run", "--help");
        Assert.Contains("download-model", result.Stdout);
        Assert.Contains("encode-dataset", result.Stdout);
        Assert.Contains("finetune-model", result.Stdout);
    }

    [Fact]
    public void RunWorkflowHelp_ListsTheGlobalVariablesOnly_ForAWorkflowWithoutDependencies()
    {
        using var sandbox = new DstackSandbox().WithWorkflows(Workflows, Variables);
        var result = sandbox.Ok("run", "download-model", "--help");
        Assert.Contains("--model", result.Stdout);
        Assert.Contains("default is 124M", result.Stdout);
        Assert.Contains("--models_dir", result.Stdout);
        Assert.DoesNotContain("--learning_rate", result.Stdout);
        Assert.DoesNotContain("--encoding", result.Stdout);
    }

    [Fact]
    public void RunWorkflowHelp_ListsTheVariablesOfEveryDependency_WithTheirDefaultsAsWritten()
    {
        using var sandbox = new DstackSandbox().WithWorkflows(Workflows, Variables);
        var result = sandbox.Ok("run", "finetune-model", "--help");
        Assert.Contains("--learning_rate", result.Stdout);
        Assert.Contains("default is 0.00002", result.Stdout);
        Assert.Contains("--encoding", result.Stdout);
        Assert.Contains("--model", result.Stdout);
    }

    [Fact]
    public void RunHelp_DoesNotStartAServer()
    {
        using var sandbox = new DstackSandbox().WithWorkflows(Workflows, Variables);
        sandbox.Ok("run", "finetune-model", "--help");
        Assert.False(File.Exists(Path.Combine(sandbox.Home, "server.json")));
    }
}
