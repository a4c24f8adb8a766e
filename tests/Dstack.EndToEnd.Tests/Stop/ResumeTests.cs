using Dstack.Contracts.Jobs;
using Dstack.EndToEnd.Tests.Infrastructure;

namespace Dstack.EndToEnd.Tests.Stop;

public class ResumeTests
{
    // Counts into a checkpoint file, carrying on from the value it finds there; finishes at 40.
    // The count is written to a temporary file and renamed, as a real checkpoint should be: a stop that lands
    // between `>`'s truncation and the write would otherwise leave an empty checkpoint behind.
    private const string Counting = """
        workflows:
          - name: train
            commands:
              - mkdir -p checkpoint
              - n=$(cat checkpoint/count.txt 2>/dev/null || echo 0); echo "starting from $n"
              - while [ $n -lt 40 ]; do n=$((n+1)); echo $n > checkpoint/count.tmp; mv checkpoint/count.tmp checkpoint/count.txt; echo "count $n"; sleep 0.1; done
            artifacts: [checkpoint]
          - name: evaluate
            depends-on: [train]
            commands:
              - echo "evaluating $(cat checkpoint/count.txt)"
        """;

    [Fact]
    public void Resume_RestartsAStoppedJob_WithItsArtifactsInPlace_AndReQueuesTheJobsThatDependOnIt()
    {
        using var sandbox = new DstackSandbox().WithWorkflows(Counting).Initialised();
        var runName = sandbox.Submit("evaluate");
        Eventually.Until(() => sandbox.Ok("logs", runName).Stdout.Contains("count 5", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the count to reach 5");
        sandbox.Ok("stop", runName);
        var stopped = sandbox.WaitUntilFinished(runName);
        var train = stopped.Jobs.Single(j => j.Workflow == "train");
        Assert.Equal(JobStatus.Stopped, train.Status);
        Assert.Equal(JobStatus.Stopped, stopped.Jobs.Single(j => j.Workflow == "evaluate").Status);

        var resume = sandbox.Ok("resume", train.JobId);
        Assert.Contains("attempt 2", resume.Stdout);

        var run = sandbox.WaitUntilFinished(runName);
        Assert.Equal(JobStatus.Done, run.Status);
        var resumed = run.Jobs.Single(j => j.Workflow == "train");
        Assert.Equal(2, resumed.Attempt);
        Assert.Equal(2, resumed.Attempts.Count);
        Assert.Equal(JobStatus.Stopped, resumed.Attempts[0].Status);

        var logs = sandbox.Ok("logs", train.JobId).Stdout;
        Assert.Contains("starting from 0", logs);
        var second = logs[logs.IndexOf("attempt 2", StringComparison.Ordinal)..];
        Assert.DoesNotContain("starting from 0", second);
        Assert.Matches(@"starting from ([5-9]|[1-3]\d)", second);
        Assert.Contains("evaluating 40", sandbox.Ok("logs", runName).Stdout);
    }

    [Fact]
    public void Resume_IsRefused_WithTheReason_ForAJobThatWasNotStopped()
    {
        using var sandbox = new DstackSandbox().WithWorkflows("workflows:\n  - name: a\n    commands: [echo a]\n").Initialised();
        var run = sandbox.WaitUntilFinished(sandbox.Submit("a"));
        var result = sandbox.Dstack("resume", run.Jobs[0].JobId);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("DONE", result.Stderr);
        Assert.Equal(1, sandbox.Run(run.RunName).Jobs[0].Attempt);
        Assert.NotEqual(0, sandbox.Dstack("resume", "0123456789ab").ExitCode);
    }

    [Fact]
    public void ResumingTwiceAtOnce_StartsOneNewAttempt()
    {
        const string yaml = """
            workflows:
              - name: loop
                commands:
                  - echo attempt
                  - while true; do sleep 0.1; done
            """;
        using var sandbox = new DstackSandbox().WithWorkflows(yaml).Initialised();
        var runName = sandbox.Submit("loop");
        Eventually.Until(() => sandbox.Run(runName).Jobs[0].Status == JobStatus.Running, TimeSpan.FromSeconds(60), "the job to run");
        sandbox.Ok("stop", "--grace", "1", runName);
        var job = sandbox.WaitUntilFinished(runName).Jobs[0];

        var results = Enumerable.Range(0, 2).AsParallel().WithDegreeOfParallelism(2).Select(_ => sandbox.Dstack("resume", job.JobId)).ToList();
        Assert.Single(results, r => r.ExitCode == 0);
        try
        {
            Eventually.Until(() => sandbox.Run(runName).Jobs[0].Status == JobStatus.Running, TimeSpan.FromSeconds(60), "the resumed job to run");
        }
        catch (TimeoutException)
        {
            // Say where it stands and what the runner did, so a failure here can be read rather than guessed at.
            var runnerLog = Path.Combine(sandbox.Home, "runner.log");
            var tail = File.Exists(runnerLog) ? string.Join("\n", File.ReadLines(runnerLog).TakeLast(15)) : "(no runner.log)";
            Assert.Fail($"the resumed job did not run: {sandbox.Ok("status", "--json", runName).Stdout}\nresume: {string.Join(" | ", results)}\nrunner.log:\n{tail}");
        }
        Assert.Equal(2, sandbox.Run(runName).Jobs[0].Attempt);
        sandbox.Ok("stop", "-a", runName);
        sandbox.WaitUntilFinished(runName);
    }
}
