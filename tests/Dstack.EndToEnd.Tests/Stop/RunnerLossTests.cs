using System.Diagnostics;
using Dstack.Contracts.Jobs;
using Dstack.EndToEnd.Tests.Infrastructure;

namespace Dstack.EndToEnd.Tests.Stop;

/// <summary>The built-in runner killed while a job runs: the job fails with `runner lost`, its processes are gone, its last checkpoint is kept.</summary>
public class RunnerLossTests
{
    [Fact]
    public void AKilledRunner_FailsItsJobAsRunnerLost_KillsTheJobsProcesses_AndKeepsTheLastCheckpoint()
    {
        var pidFile = StopTests.TempFile("lost-runner-job");
        var yaml = $$"""
            workflows:
              - name: long
                checkpoint_interval: 1
                commands:
                  - mkdir -p checkpoint && echo saved > checkpoint/state.txt
                  - echo $$ > {{pidFile}}
                  - while true; do sleep 0.1; done
                artifacts: [checkpoint]
            """;
        using var sandbox = new DstackSandbox();
        sandbox.Environment["DSTACK_RUNNER_TIMEOUT_SECONDS"] = "3";
        sandbox.WithWorkflows(yaml).Initialised();
        var runName = sandbox.Submit("long");
        var jobPid = StopTests.WaitForPid(pidFile);
        var job = sandbox.Run(runName).Jobs.Single();
        Eventually.Until(() => sandbox.Ok("artifacts", job.JobId).Stdout.Contains("state.txt", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "a checkpoint");

        var runnerPid = RunnerPid(sandbox);
        Process.GetProcessById(runnerPid).Kill();

        var run = sandbox.WaitUntilFinished(runName, TimeSpan.FromSeconds(90));
        var failed = run.Jobs.Single();
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Contains("runner lost", failed.Reason);
        Eventually.Until(() => !ProcessTable.IsAlive(jobPid), TimeSpan.FromSeconds(60), $"the lost job's process {jobPid} to be killed");
        Assert.Contains("state.txt", sandbox.Ok("artifacts", failed.JobId).Stdout);
    }

    private static int RunnerPid(DstackSandbox sandbox) =>
        sandbox.ProcessesUnderRoot().Single(pid =>
        {
            string cmdline;
            try
            {
                cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            }
            catch (IOException)
            {
                return false; // it ended since it was listed (a git or a job's process): not the runner
            }
            return cmdline.Contains(" runner ", StringComparison.Ordinal) && cmdline.Contains("--server-file", StringComparison.Ordinal);
        });
}
