using Dstack.Contracts.Jobs;
using Dstack.EndToEnd.Tests.Infrastructure;

namespace Dstack.EndToEnd.Tests.Runs;

/// <summary>The built-in runner has no container engine and (here) no GPU: such jobs wait, and status says why.</summary>
public class WaitingReasonTests
{
    [Fact]
    public void AJobWithAnImage_Waits_ForARunnerWithAContainerEngine()
    {
        using var sandbox = new DstackSandbox()
            .WithWorkflows("workflows:\n  - name: a\n    image: python:3.11\n    commands: [python3 --version]\n").Initialised();
        var runName = sandbox.Submit("a");

        var job = Eventually.Until(() =>
        {
            var j = sandbox.Run(runName).Jobs.Single();
            return j.Reason is not null && j.Reason.Contains("container engine") ? j : null;
        }, TimeSpan.FromSeconds(30), "the reason to name the container engine");
        Assert.Equal(JobStatus.Submitted, job.Status);
        Assert.Contains("container engine", sandbox.Ok("status").Stdout);
    }

    [Fact]
    public void AJobNeedingAGpu_Waits_ForARunnerWithAGpu_AndItsDependentsWaitForIt()
    {
        const string yaml = """
            workflows:
              - name: train
                resources: {gpu: 1}
                commands: [nvidia-smi]
              - name: evaluate
                depends-on: [train]
                commands: [echo evaluate]
            """;
        using var sandbox = new DstackSandbox().WithWorkflows(yaml).Initialised();
        var runName = sandbox.Submit("evaluate");

        var run = Eventually.Until(() =>
        {
            var r = sandbox.Run(runName);
            return r.Jobs.All(j => j.Reason is not null) ? r : null;
        }, TimeSpan.FromSeconds(30), "reasons on both jobs");
        Assert.Contains("GPU", run.Jobs.Single(j => j.Workflow == "train").Reason);
        Assert.Contains("train", run.Jobs.Single(j => j.Workflow == "evaluate").Reason);
        Assert.All(run.Jobs, j => Assert.Equal(JobStatus.Submitted, j.Status));
    }
}
