using System.Net;
using Dstack.Contracts.Client;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runner;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Jobs;

public sealed class ResumeTests
{
    private const string Chain = """
        workflows:
          - name: a
            commands: [echo a]
            artifacts: [out]
          - name: b
            depends-on: [a]
            commands: [echo b]
          - name: c
            depends-on: [b]
            commands: [echo c]
          - name: side
            commands: [echo side]
          - name: all
            depends-on: [c, side]
            commands: [echo all]
        """;

    /// <summary>Drives the run's one job to <paramref name="status"/> through the API, as users and runners do.</summary>
    private static async Task<string> JobInStatusAsync(ServerHarness harness, JobStatus status)
    {
        var runner = await harness.RegisterRunnerAsync();
        var run = await harness.SubmitAsync("encode-dataset");
        if (status == JobStatus.Submitted) return run.Jobs[0].JobId;
        var lease = (await harness.LeaseAsync(runner))!;
        switch (status)
        {
            case JobStatus.Uploading:
                await harness.Runner.ReportProgressAsync(lease.JobId, new JobProgressReport { FencingToken = lease.FencingToken, Status = JobStatus.Uploading });
                break;
            case JobStatus.Done or JobStatus.Failed:
                await harness.FinishAsync(lease, status);
                break;
            case JobStatus.Stopping or JobStatus.Stopped:
                await harness.User.StopJobAsync(lease.JobId, new StopRequest());
                break;
            case JobStatus.Aborting or JobStatus.Aborted:
                await harness.User.StopJobAsync(lease.JobId, new StopRequest { Abort = true });
                break;
        }
        if (status is JobStatus.Stopped or JobStatus.Aborted)
        {
            await harness.Runner.ReportOutcomeAsync(lease.JobId, new JobOutcome { FencingToken = lease.FencingToken, Status = status });
        }
        Assert.Equal(status, (await harness.User.FindJobAsync(lease.JobId))!.Status);
        return lease.JobId;
    }

    private static async Task<(ServerHarness Harness, RunnerRegistration Runner, Contracts.Runs.RunInfo Run)> ChainAsync()
    {
        var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.User.InitRepoAsync(new() { RepoUrl = Workflows.RepoUrl });
        var run = await harness.User.SubmitRunAsync(Workflows.Run("all", workflows: Chain));
        return (harness, runner, run);
    }

    [Theory]
    [InlineData(JobStatus.Submitted)]
    [InlineData(JobStatus.Running)]
    [InlineData(JobStatus.Uploading)]
    [InlineData(JobStatus.Done)]
    [InlineData(JobStatus.Failed)]
    [InlineData(JobStatus.Stopping)]
    [InlineData(JobStatus.Aborting)]
    [InlineData(JobStatus.Aborted)]
    public async Task Resume_IsRefused_WithTheReason_ForEveryStatusButStopped(JobStatus status)
    {
        await using var harness = await ServerHarness.StartAsync();
        var jobId = await JobInStatusAsync(harness, status);

        var error = await Assert.ThrowsAsync<DstackApiException>(() => harness.User.ResumeJobAsync(jobId));

        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        Assert.Equal($"job {jobId} is {status.ToDisplay()}: only a STOPPED job can be resumed", error.Message);
        Assert.Equal(status, (await harness.User.FindJobAsync(jobId))!.Status);
    }

    [Fact]
    public async Task Resume_OfAnUnknownJob_IsNotFound()
    {
        await using var harness = await ServerHarness.StartAsync();

        var error = await Assert.ThrowsAsync<DstackApiException>(() => harness.User.ResumeJobAsync("0123456789ab"));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Resume_QueuesANewAttempt_WhoseLeaseRestoresTheFilesOfTheStoppedOne()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("encode-dataset");
        var first = (await harness.LeaseAsync(runner))!;
        var blob = await harness.Runner.UploadBlobAsync(new MemoryStream("step 41"u8.ToArray()));
        await harness.Runner.PutArtifactManifestAsync(first.JobId, new ArtifactManifest
        {
            FencingToken = first.FencingToken,
            Files = [new() { Artifact = "dataset", Path = "dataset/step", Size = blob.Size, Sha256 = blob.Sha256 }],
            Checkpoint = true,
        });
        await harness.User.StopJobAsync(first.JobId, new StopRequest());
        await harness.Runner.ReportOutcomeAsync(first.JobId, new JobOutcome { FencingToken = first.FencingToken, Status = JobStatus.Stopped, ExitCode = 143, Signal = "SIGTERM" });

        var resumed = await harness.User.ResumeJobAsync(first.JobId);
        var second = (await harness.LeaseAsync(runner))!;
        var lateReport = await Assert.ThrowsAsync<DstackApiException>(() => harness.Runner.ReportProgressAsync(first.JobId,
            new JobProgressReport { FencingToken = first.FencingToken, Status = JobStatus.Running }));
        var running = (await harness.User.FindJobAsync(first.JobId))!;

        Assert.Equal(1, first.Attempt);
        Assert.Empty(first.Spec.Restore);
        Assert.Equal((JobStatus.Submitted, 2), (resumed.Status, resumed.Attempt));
        Assert.Equal([JobStatus.Stopped, JobStatus.Submitted], resumed.Attempts.Select(a => a.Status));
        Assert.Equal((first.JobId, 2), (second.JobId, second.Attempt));
        Assert.True(second.FencingToken > first.FencingToken);
        var restored = Assert.Single(second.Spec.Restore);
        Assert.Equal(("dataset/step", blob.Sha256, "dataset"), (restored.Path, restored.Sha256, restored.Artifact));
        Assert.Equal(HttpStatusCode.Conflict, lateReport.StatusCode);
        Assert.Equal(2, running.Attempts.Count);
        var (before, now) = (running.Attempts[0], running.Attempts[1]);
        Assert.Equal((1, JobStatus.Stopped, 143, "SIGTERM", runner.Name), (before.Attempt, before.Status, before.ExitCode, before.Signal, before.Runner));
        Assert.NotNull(before.StartedAt);
        Assert.NotNull(before.FinishedAt);
        Assert.Equal((2, JobStatus.Running, (int?)null, runner.Name), (now.Attempt, now.Status, now.ExitCode, now.Runner));
        Assert.NotNull(now.StartedAt);
        Assert.Null(now.FinishedAt);
        Assert.Equal((JobStatus.Running, 2, (int?)null, (string?)null), (running.Status, running.Attempt, running.ExitCode, running.Signal));
    }

    [Fact]
    public async Task Resume_RequeuesTheStoppedJobsThatWaitForIt_Transitively_AndNoOthers()
    {
        var (harness, runner, run) = await ChainAsync();
        await using var _ = harness;
        var a = (await harness.LeaseAsync(runner))!;
        var side = (await harness.LeaseAsync(runner))!;
        await harness.User.StopRunAsync(run.RunName, new StopRequest());
        await harness.Runner.ReportOutcomeAsync(a.JobId, new JobOutcome { FencingToken = a.FencingToken, Status = JobStatus.Stopped });
        await harness.Runner.ReportOutcomeAsync(side.JobId, new JobOutcome { FencingToken = side.FencingToken, Status = JobStatus.Stopped });

        await harness.User.ResumeJobAsync(a.JobId);
        var after = (await harness.User.FindRunAsync(run.RunName))!.Jobs.ToDictionary(j => j.Workflow);

        Assert.Equal((JobStatus.Submitted, 2), (after["a"].Status, after["a"].Attempt));
        Assert.Equal((JobStatus.Submitted, 1), (after["b"].Status, after["b"].Attempt));
        Assert.Equal((JobStatus.Submitted, 1), (after["c"].Status, after["c"].Attempt));
        Assert.Single(after["b"].Attempts);
        Assert.Equal(JobStatus.Stopped, after["side"].Status);
        // `all` also waits for `side`, which is still STOPPED: it stays stopped, and says why.
        Assert.Equal((JobStatus.Stopped, "dependency side was stopped"), (after["all"].Status, after["all"].Reason));
        Assert.Equal("waiting for a", after["b"].Reason);
        Assert.Equal(a.JobId, (await harness.LeaseAsync(runner))!.JobId);
    }

    [Fact]
    public async Task Resume_OfTheLastStoppedDependency_LetsThePipelineRunToTheEnd()
    {
        var (harness, runner, run) = await ChainAsync();
        await using var _ = harness;
        var a = (await harness.LeaseAsync(runner))!;
        var side = (await harness.LeaseAsync(runner))!;
        await harness.User.StopRunAsync(run.RunName, new StopRequest());
        await harness.Runner.ReportOutcomeAsync(a.JobId, new JobOutcome { FencingToken = a.FencingToken, Status = JobStatus.Stopped });
        await harness.Runner.ReportOutcomeAsync(side.JobId, new JobOutcome { FencingToken = side.FencingToken, Status = JobStatus.Stopped });

        await harness.User.ResumeJobAsync(a.JobId);
        await harness.User.ResumeJobAsync(side.JobId);
        var leased = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var lease = (await harness.LeaseAsync(runner, waitMs: 2000))!;
            leased.Add(lease.Workflow);
            await harness.FinishAsync(lease);
        }

        Assert.Equal(new[] { "a", "all", "b", "c", "side" }, leased.Order());
        Assert.Equal("all", leased[^1]);
        Assert.Equal(JobStatus.Done, (await harness.User.FindRunAsync(run.RunName))!.Status);
    }

    [Fact]
    public async Task Resume_OfAJobThatWaitsForAStoppedJob_IsRefused_NamingTheJobToResume()
    {
        var (harness, runner, run) = await ChainAsync();
        await using var _ = harness;
        var a = (await harness.LeaseAsync(runner))!;
        await harness.User.StopRunAsync(run.RunName, new StopRequest());
        await harness.Runner.ReportOutcomeAsync(a.JobId, new JobOutcome { FencingToken = a.FencingToken, Status = JobStatus.Stopped });
        var b = run.Jobs.Single(j => j.Workflow == "b").JobId;

        var error = await Assert.ThrowsAsync<DstackApiException>(() => harness.User.ResumeJobAsync(b));

        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        Assert.Equal($"job {b} depends on a ({a.JobId}), which is STOPPED: resume {a.JobId} instead; the jobs waiting for it follow", error.Message);
        Assert.Equal(JobStatus.Stopped, (await harness.User.FindJobAsync(b))!.Status);
    }

    [Fact]
    public async Task Resume_OfAJobStoppedBeforeItStarted_KeepsItsFirstAttempt()
    {
        await using var harness = await ServerHarness.StartAsync();
        var jobId = await JobInStatusAsync(harness, JobStatus.Submitted);
        await harness.User.StopJobAsync(jobId, new StopRequest());

        var resumed = await harness.User.ResumeJobAsync(jobId);

        Assert.Equal((JobStatus.Submitted, 1), (resumed.Status, resumed.Attempt));
        Assert.Equal(JobStatus.Submitted, Assert.Single(resumed.Attempts).Status);
        Assert.Null(resumed.FinishedAt);
    }

    [Fact]
    public async Task ResumeTwiceAtOnce_OneWins_AndTheOtherIsAConflict()
    {
        await using var harness = await ServerHarness.StartAsync();
        var jobId = await JobInStatusAsync(harness, JobStatus.Stopped);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            try
            {
                return (Job: await harness.User.ResumeJobAsync(jobId), Error: (DstackApiException?)null);
            }
            catch (DstackApiException e)
            {
                return (Job: (JobInfo?)null, Error: e);
            }
        }));

        var winner = Assert.Single(attempts, a => a.Job is not null);
        var loser = Assert.Single(attempts, a => a.Error is not null);
        Assert.Equal(2, winner.Job!.Attempt);
        Assert.Equal(HttpStatusCode.Conflict, loser.Error!.StatusCode);
        Assert.Equal($"job {jobId} is SUBMITTED: only a STOPPED job can be resumed", loser.Error.Message);
        Assert.Equal(2, (await harness.User.FindJobAsync(jobId))!.Attempts.Count);
    }
}
