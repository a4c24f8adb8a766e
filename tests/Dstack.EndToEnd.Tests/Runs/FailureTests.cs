using Dstack.Contracts.Jobs;
using Dstack.EndToEnd.Tests.Infrastructure;

namespace Dstack.EndToEnd.Tests.Runs;

public class FailureTests
{
    [Fact]
    public void AFailingCommand_FailsTheJob_WithItsOutputAndExitCode_AndItsDependentsDoNotRun()
    {
        const string yaml = """
            workflows:
              - name: broken
                commands:
                  - echo before the failure
                  - mkdir -p checkpoint && echo step-1 > checkpoint/state.txt
                  - exit 3
                  - echo never printed
                artifacts: [checkpoint]
              - name: after
                depends-on: [broken]
                commands: [echo after]
            """;
        using var sandbox = new DstackSandbox().WithWorkflows(yaml).Initialised();

        var follow = sandbox.Dstack("run", "after", "-f");
        Assert.NotEqual(0, follow.ExitCode);

        var run = sandbox.Status("--last", "1").Single();
        Assert.Equal(JobStatus.Failed, run.Status);
        var broken = run.Jobs.Single(j => j.Workflow == "broken");
        Assert.Equal(JobStatus.Failed, broken.Status);
        Assert.Equal(3, broken.ExitCode);
        Assert.Contains("exit code 3", broken.Reason);
        // A failed job's artifacts are kept, marked partial.
        Assert.True(broken.ArtifactsPartial);
        var saved = Path.Combine(sandbox.Root, "saved");
        sandbox.Ok("artifacts", broken.JobId, "-o", saved);
        Assert.Equal("step-1\n", File.ReadAllText(Path.Combine(saved, "checkpoint", "state.txt")));
        var after = run.Jobs.Single(j => j.Workflow == "after");
        Assert.Equal(JobStatus.Failed, after.Status);
        Assert.Contains("broken", after.Reason);
        Assert.Null(after.StartedAt);

        var logs = sandbox.Ok("logs", broken.JobId).Stdout;
        Assert.Contains("before the failure", logs);
        Assert.DoesNotContain("never printed", logs);
        Assert.Contains("FAILED", sandbox.Ok("status").Stdout);
    }

    [Fact]
    public void AMissingArtifact_FailsTheJob_WithThatReason_AndKeepsTheOtherArtifacts()
    {
        const string yaml = """
            workflows:
              - name: partial
                commands:
                  - mkdir -p present
                  - echo kept > present/file.txt
                artifacts: [present, absent]
            """;
        using var sandbox = new DstackSandbox().WithWorkflows(yaml).Initialised();
        var run = sandbox.WaitUntilFinished(sandbox.Submit("partial"));

        var job = run.Jobs.Single();
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("absent", job.Reason);
        var listing = sandbox.Ok("artifacts", job.JobId).Stdout;
        Assert.Matches(@"(?m)^present\s+file\.txt\s", listing);
    }

    [Fact]
    public void AnUnreachableRemote_FailsTheJob_WithGitsErrorInItsLogs()
    {
        using var sandbox = new DstackSandbox().WithWorkflows("workflows:\n  - name: a\n    commands: [echo a]\n").Initialised();
        // The remote disappears after the push: the runner's fetch fails.
        Directory.Move(sandbox.Repo.RemotePath, sandbox.Repo.RemotePath + ".gone");

        var run = sandbox.WaitUntilFinished(sandbox.Submit("a"));
        var job = run.Jobs.Single();
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("could not fetch", job.Reason);
        var logs = sandbox.Ok("logs", job.JobId).Stdout;
        Assert.Contains("remote.git", logs);
    }

    [Fact]
    public void AJobKilledBySignal_IsFailed_WithTheSignalRecorded()
    {
        using var sandbox = new DstackSandbox().WithWorkflows("workflows:\n  - name: a\n    commands: [kill -KILL $$]\n").Initialised();
        var run = sandbox.WaitUntilFinished(sandbox.Submit("a"));
        var job = run.Jobs.Single();
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal("SIGKILL", job.Signal);
    }

    [Fact]
    public void BackgroundProcessesOfAFinishedJob_DoNotSurviveIt()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), "dstack-bg-" + Guid.NewGuid().ToString("N"));
        var yaml = $$"""
            workflows:
              - name: a
                commands:
                  - (sleep 300 & echo $! > {{pidFile}})
                  - echo started
            """;
        using var sandbox = new DstackSandbox().WithWorkflows(yaml).Initialised();
        var run = sandbox.WaitUntilFinished(sandbox.Submit("a"));
        Assert.Equal(JobStatus.Done, run.Status);
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Eventually.Until(() => !ProcessTable.IsAlive(pid), TimeSpan.FromSeconds(10), $"background process {pid} to be gone");
        File.Delete(pidFile);
    }
}
