using Dstack.Contracts.Jobs;
using Dstack.EndToEnd.Tests.Infrastructure;

namespace Dstack.EndToEnd.Tests.Stop;

public class StopTests
{
    [Fact]
    public void Stop_SendsTermToAJobThatTrapsIt_KeepsItsLastLines_UploadsItsArtifacts_AndStopsIt()
    {
        const string yaml = """
            workflows:
              - name: count
                commands:
                  - mkdir -p checkpoint
                  - trap 'echo "caught TERM at $n"; exit 0' TERM
                  - n=0; while true; do n=$((n+1)); echo $n > checkpoint/count.txt; echo "count $n"; sleep 0.1; done
                artifacts: [checkpoint]
            """;
        using var sandbox = new DstackSandbox().WithWorkflows(yaml).Initialised();
        var runName = sandbox.Submit("count");
        Eventually.Until(() => sandbox.Ok("logs", runName).Stdout.Contains("count 3", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the job to count");

        var stop = sandbox.Ok("stop", runName);
        Assert.Contains("stopping", stop.Stdout);

        var run = sandbox.WaitUntilFinished(runName);
        var job = run.Jobs.Single();
        Assert.Equal(JobStatus.Stopped, job.Status);
        Assert.Equal(JobStatus.Stopped, run.Status);
        Assert.Contains("caught TERM", sandbox.Ok("logs", job.JobId).Stdout);
        var output = Path.Combine(sandbox.Root, "out");
        sandbox.Ok("artifacts", job.JobId, "-o", output);
        Assert.True(int.Parse(File.ReadAllText(Path.Combine(output, "checkpoint", "count.txt")).Trim(), System.Globalization.CultureInfo.InvariantCulture) >= 3);
        Assert.Contains("STOPPED", sandbox.Ok("status", runName).Stdout);
    }

    [Fact]
    public void Stop_KillsAChildThatIgnoresTerm_AfterTheGrace()
    {
        var pidFile = TempFile("ignores-term");
        var yaml = $$"""
            workflows:
              - name: stubborn
                commands:
                  - bash -c 'trap "" TERM; echo $$ > {{pidFile}}; while true; do sleep 0.1; done'
            """;
        using var sandbox = new DstackSandbox().WithWorkflows(yaml).Initialised();
        var runName = sandbox.Submit("stubborn");
        var pid = WaitForPid(pidFile);

        sandbox.Ok("stop", "--grace", "1", runName);
        var run = sandbox.WaitUntilFinished(runName);
        Assert.Equal(JobStatus.Stopped, run.Jobs.Single().Status);
        Eventually.Until(() => !ProcessTable.IsAlive(pid), TimeSpan.FromSeconds(10), $"process {pid} that ignored TERM to be killed");
    }

    [Fact]
    public void Stop_KillsAGrandchildThatLeftTheProcessGroup()
    {
        var pidFile = TempFile("escaped");
        var yaml = $$"""
            workflows:
              - name: escaper
                commands:
                  - setsid bash -c 'echo $$ > {{pidFile}}; exec sleep 300' &
                  - sleep 300
            """;
        using var sandbox = new DstackSandbox().WithWorkflows(yaml).Initialised();
        var runName = sandbox.Submit("escaper");
        var pid = WaitForPid(pidFile);

        sandbox.Ok("stop", "--grace", "1", runName);
        sandbox.WaitUntilFinished(runName);
        Eventually.Until(() => !ProcessTable.IsAlive(pid), TimeSpan.FromSeconds(10), $"escaped process {pid} to be killed");
    }

    [Fact]
    public void Abort_KillsAtOnce_KeepsTheLogsUpToTheKill_AndUploadsNoArtifact()
    {
        const string yaml = """
            workflows:
              - name: work
                commands:
                  - mkdir -p out && echo partial > out/file.txt
                  - trap 'echo "TERM must not be sent on abort"' TERM
                  - echo "working"
                  - while true; do sleep 0.1; done
                artifacts: [out]
            """;
        using var sandbox = new DstackSandbox().WithWorkflows(yaml).Initialised();
        var runName = sandbox.Submit("work");
        Eventually.Until(() => sandbox.Ok("logs", runName).Stdout.Contains("working", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the job to start working");

        var abort = sandbox.Ok("stop", "-a", runName);
        Assert.Contains("aborting", abort.Stdout);
        var run = sandbox.WaitUntilFinished(runName);
        var job = run.Jobs.Single();
        Assert.Equal(JobStatus.Aborted, job.Status);
        var logs = sandbox.Ok("logs", job.JobId).Stdout;
        Assert.Contains("working", logs);
        Assert.DoesNotContain("TERM must not be sent", logs);
        Assert.DoesNotContain("file.txt", sandbox.Ok("artifacts", job.JobId).Stdout);
    }

    [Fact]
    public void StoppingARun_StopsItsRunningJobs_AndItsJobsThatHadNotStartedBecomeStoppedWithoutRunning()
    {
        const string yaml = """
            workflows:
              - name: first
                commands:
                  - echo first is running
                  - while true; do sleep 0.1; done
              - name: second
                depends-on: [first]
                commands: [echo second must not run]
            """;
        using var sandbox = new DstackSandbox().WithWorkflows(yaml).Initialised();
        var runName = sandbox.Submit("second");
        Eventually.Until(() => sandbox.Run(runName).Jobs.Any(j => j.Status == JobStatus.Running), TimeSpan.FromSeconds(60), "the first job to run");

        sandbox.Ok("stop", "--grace", "1", runName);
        var run = sandbox.WaitUntilFinished(runName);
        Assert.All(run.Jobs, j => Assert.Equal(JobStatus.Stopped, j.Status));
        var second = run.Jobs.Single(j => j.Workflow == "second");
        Assert.Null(second.StartedAt);
        Assert.DoesNotContain("must not run", sandbox.Ok("logs", runName).Stdout);
    }

    [Fact]
    public void StoppingAFinishedRun_SaysSo_AndChangesNothing()
    {
        using var sandbox = new DstackSandbox().WithWorkflows("workflows:\n  - name: a\n    commands: [echo a]\n").Initialised();
        var run = sandbox.WaitUntilFinished(sandbox.Submit("a"));

        var result = sandbox.Ok("stop", run.RunName);
        Assert.Contains("nothing to stop", result.Stdout + result.Stderr);
        Assert.Equal(JobStatus.Done, sandbox.Run(run.RunName).Status);
        Assert.Contains("nothing to stop", sandbox.Ok("stop", "-a", run.Jobs[0].JobId).Stdout);
        Assert.NotEqual(0, sandbox.Dstack("stop", "lazy-walrus-9").ExitCode);
    }

    internal static string TempFile(string what) => Path.Combine(Path.GetTempPath(), $"dstack-{what}-{Guid.NewGuid():N}");

    internal static int WaitForPid(string pidFile) =>
        int.Parse(Eventually.Until(() => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0 ? File.ReadAllText(pidFile).Trim() : null,
            TimeSpan.FromSeconds(60), $"{pidFile} to be written"), System.Globalization.CultureInfo.InvariantCulture);
}
