using System.Net;
using Dstack.Contracts.Client;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runner;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Jobs;

public sealed class StopTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task StopOfARunningJob_MakesItStopping_AndTheWaitingOrdersPollAnswersWithTheOrder()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;
        var nothingYet = await harness.OrdersAsync(runner, waitMs: 50);
        var poll = harness.OrdersAsync(runner, waitMs: 30_000);

        var result = await harness.User.StopJobAsync(lease.JobId, new StopRequest { GraceSeconds = 3 });
        var orders = await poll.WaitAsync(Bound);

        Assert.Empty(nothingYet.Stop);
        Assert.Equal([lease.JobId], result.Changed);
        Assert.Equal(JobStatus.Stopping, Assert.Single(result.Jobs).Status);
        var order = Assert.Single(orders.Stop);
        Assert.Equal(new JobStopOrder { JobId = lease.JobId, FencingToken = lease.FencingToken, Abort = false, GraceMs = 3000 }, order);
    }

    [Fact]
    public async Task OutcomeStopped_EndsTheStop_WithTheRunnersReason_AndTheRunIsStopped()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var run = await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;
        await harness.User.StopJobAsync(lease.JobId, new StopRequest());

        await harness.Runner.ReportOutcomeAsync(lease.JobId, new JobOutcome
        {
            FencingToken = lease.FencingToken,
            Status = JobStatus.Stopped,
            ExitCode = 143,
            Signal = "SIGTERM",
            Reason = "stopped on request",
        });
        var stopped = (await harness.User.FindRunAsync(run.RunName))!;
        var heartbeat = await harness.Runner.HeartbeatAsync(new HeartbeatRequest { RunnerId = runner.RunnerId });

        Assert.Equal(JobStatus.Stopped, stopped.Status);
        var job = stopped.Jobs[0];
        Assert.Equal((JobStatus.Stopped, 143, "SIGTERM", "stopped on request"), (job.Status, job.ExitCode, job.Signal, job.Reason));
        Assert.NotNull(job.FinishedAt);
        Assert.True(job.ArtifactsPartial);
        Assert.Empty(heartbeat.Stop);
    }

    [Fact]
    public async Task StopWithoutAGrace_OrdersTheServersDefaultGrace()
    {
        await using var harness = await ServerHarness.StartAsync(o => o with { DefaultStopGrace = TimeSpan.FromSeconds(2) });
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;

        await harness.User.StopJobAsync(lease.JobId, new StopRequest());
        var orders = await harness.OrdersAsync(runner, waitMs: 30_000).WaitAsync(Bound);

        Assert.Equal(2000, Assert.Single(orders.Stop).GraceMs);
    }

    [Fact]
    public async Task StopOfASubmittedJob_StopsItAtOnce_AndItIsNeverLeased()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var run = await harness.SubmitAsync("encode-dataset");
        var jobId = run.Jobs[0].JobId;

        var result = await harness.User.StopJobAsync(jobId, new StopRequest());
        var lease = await harness.LeaseAsync(runner, waitMs: 100);

        Assert.Equal([jobId], result.Changed);
        var job = Assert.Single(result.Jobs);
        Assert.Equal((JobStatus.Stopped, "stopped before it started"), (job.Status, job.Reason));
        Assert.Null(job.StartedAt);
        Assert.NotNull(job.FinishedAt);
        Assert.Null(lease);
        Assert.Equal(JobStatus.Stopped, (await harness.User.FindRunAsync(run.RunName))!.Status);
    }

    [Fact]
    public async Task AbortOfASubmittedJob_AbortsItAtOnce()
    {
        await using var harness = await ServerHarness.StartAsync();
        var run = await harness.SubmitAsync("encode-dataset");

        var result = await harness.User.StopJobAsync(run.Jobs[0].JobId, new StopRequest { Abort = true });

        Assert.Equal((JobStatus.Aborted, "aborted before it started"), (result.Jobs[0].Status, result.Jobs[0].Reason));
    }

    [Fact]
    public async Task AbortOfAStoppingJob_OverridesTheStop_AndTheRunnerGetsTheAbortAsANewOrder()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;
        await harness.User.StopJobAsync(lease.JobId, new StopRequest { GraceSeconds = 30 });
        var stopOrder = await harness.OrdersAsync(runner, waitMs: 30_000).WaitAsync(Bound);
        var poll = harness.OrdersAsync(runner, waitMs: 30_000);

        var abort = await harness.User.StopJobAsync(lease.JobId, new StopRequest { Abort = true });
        var abortOrder = await poll.WaitAsync(Bound);
        var lateStop = await Assert.ThrowsAsync<DstackApiException>(() => harness.Runner.ReportOutcomeAsync(lease.JobId,
            new JobOutcome { FencingToken = lease.FencingToken, Status = JobStatus.Stopped }));
        await harness.Runner.ReportOutcomeAsync(lease.JobId, new JobOutcome { FencingToken = lease.FencingToken, Status = JobStatus.Aborted, Signal = "SIGKILL" });
        var job = (await harness.User.FindJobAsync(lease.JobId))!;

        Assert.False(Assert.Single(stopOrder.Stop).Abort);
        Assert.Equal([lease.JobId], abort.Changed);
        Assert.Equal(JobStatus.Aborting, abort.Jobs[0].Status);
        Assert.Equal(new JobStopOrder { JobId = lease.JobId, FencingToken = lease.FencingToken, Abort = true, GraceMs = 0 }, Assert.Single(abortOrder.Stop));
        Assert.Equal(HttpStatusCode.Conflict, lateStop.StatusCode);
        Assert.Equal($"job {lease.JobId} is ABORTING: it can't become STOPPED", lateStop.Message);
        Assert.Equal((JobStatus.Aborted, "SIGKILL", "aborted on request"), (job.Status, job.Signal, job.Reason));
    }

    [Fact]
    public async Task StopOfAStoppingJob_AndAbortOfAnAbortingOne_ChangeNothing()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("finetune-model");
        var stopping = (await harness.LeaseAsync(runner))!;
        var aborting = (await harness.LeaseAsync(runner))!;
        await harness.User.StopJobAsync(stopping.JobId, new StopRequest { GraceSeconds = 5 });
        await harness.User.StopJobAsync(aborting.JobId, new StopRequest { Abort = true });

        var stopAgain = await harness.User.StopJobAsync(stopping.JobId, new StopRequest { GraceSeconds = 1 });
        var abortAgain = await harness.User.StopJobAsync(aborting.JobId, new StopRequest { Abort = true });
        var stopAborting = await harness.User.StopJobAsync(aborting.JobId, new StopRequest());
        var heartbeat = await harness.Runner.HeartbeatAsync(new HeartbeatRequest { RunnerId = runner.RunnerId });

        Assert.Empty(stopAgain.Changed);
        Assert.Empty(abortAgain.Changed);
        Assert.Empty(stopAborting.Changed);
        Assert.Equal(JobStatus.Aborting, stopAborting.Jobs[0].Status);
        Assert.Equal(5000, heartbeat.Stop.Single(o => o.JobId == stopping.JobId).GraceMs);
    }

    [Fact]
    public async Task StopOfAFinishedJobOrRun_ChangesNothing()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var run = await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;
        await harness.FinishAsync(lease);

        var jobStop = await harness.User.StopJobAsync(lease.JobId, new StopRequest());
        var runAbort = await harness.User.StopRunAsync(run.RunName, new StopRequest { Abort = true });
        var job = (await harness.User.FindJobAsync(lease.JobId))!;

        Assert.Empty(jobStop.Changed);
        Assert.Empty(runAbort.Changed);
        Assert.Equal(JobStatus.Done, Assert.Single(jobStop.Jobs).Status);
        Assert.Equal(JobStatus.Done, Assert.Single(runAbort.Jobs).Status);
        Assert.Equal((JobStatus.Done, (string?)null, false), (job.Status, job.Reason, job.ArtifactsPartial));
    }

    [Fact]
    public async Task StopOfARun_StopsItsRunningJobs_EndsItsWaitingJobsAtOnce_AndLeavesItsFinishedJobs()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var run = await harness.SubmitAsync("finetune-model");
        var download = (await harness.LeaseAsync(runner))!;
        var encode = (await harness.LeaseAsync(runner))!;
        await harness.FinishAsync(encode);
        var finetune = run.Jobs.Single(j => j.Workflow == "finetune-model").JobId;

        var result = await harness.User.StopRunAsync(run.RunName, new StopRequest());
        var stopping = (await harness.User.FindRunAsync(run.RunName))!;
        await harness.Runner.ReportOutcomeAsync(download.JobId, new JobOutcome { FencingToken = download.FencingToken, Status = JobStatus.Stopped });
        var stopped = (await harness.User.FindRunAsync(run.RunName))!;

        Assert.Equal(new[] { download.JobId, finetune }.Order(), result.Changed.Order());
        Assert.Equal(3, result.Jobs.Count);
        var byName = result.Jobs.ToDictionary(j => j.Workflow);
        Assert.Equal(JobStatus.Stopping, byName["download-model"].Status);
        Assert.Equal(JobStatus.Done, byName["encode-dataset"].Status);
        Assert.Equal((JobStatus.Stopped, "stopped before it started"), (byName["finetune-model"].Status, byName["finetune-model"].Reason));
        Assert.Equal(JobStatus.Stopping, stopping.Status);
        Assert.Equal(JobStatus.Stopped, stopped.Status);
        Assert.Null(await harness.LeaseAsync(runner, waitMs: 50));
    }

    [Fact]
    public async Task StopOfAWaitingJob_StopsTheJobsWaitingForIt_Too()
    {
        await using var harness = await ServerHarness.StartAsync();
        var run = await harness.SubmitAsync("finetune-model");
        var download = run.Jobs.Single(j => j.Workflow == "download-model").JobId;
        var finetune = run.Jobs.Single(j => j.Workflow == "finetune-model").JobId;

        var result = await harness.User.StopJobAsync(download, new StopRequest());

        Assert.Equal([download, finetune], result.Changed);
        Assert.Equal(
            (JobStatus.Stopped, "dependency download-model was stopped"),
            (result.Jobs.Single(j => j.JobId == finetune).Status, result.Jobs.Single(j => j.JobId == finetune).Reason));
        Assert.Equal(JobStatus.Submitted, (await harness.User.FindRunAsync(run.RunName))!.Jobs.Single(j => j.Workflow == "encode-dataset").Status);
    }

    [Fact]
    public async Task RunningJobStopped_StopsTheJobsWaitingForIt_WhenItsOutcomeArrives()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var run = await harness.SubmitAsync("finetune-model");
        var download = (await harness.LeaseAsync(runner))!;
        await harness.User.StopJobAsync(download.JobId, new StopRequest());
        var whileStopping = (await harness.User.FindRunAsync(run.RunName))!;

        await harness.Runner.ReportOutcomeAsync(download.JobId, new JobOutcome { FencingToken = download.FencingToken, Status = JobStatus.Stopped });
        var after = (await harness.User.FindRunAsync(run.RunName))!;

        Assert.Equal(JobStatus.Submitted, whileStopping.Jobs.Single(j => j.Workflow == "finetune-model").Status);
        var finetune = after.Jobs.Single(j => j.Workflow == "finetune-model");
        Assert.Equal((JobStatus.Stopped, "dependency download-model was stopped"), (finetune.Status, finetune.Reason));
    }

    [Theory]
    [InlineData(JobStatus.Done)]
    [InlineData(JobStatus.Failed)]
    public async Task StoppingJobThatFinishedOnItsOwn_IsAcceptedAsItsOwnOutcome(JobStatus outcome)
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;
        await harness.User.StopJobAsync(lease.JobId, new StopRequest());

        await harness.FinishAsync(lease, outcome, outcome == JobStatus.Failed ? "exit code 1" : null, outcome == JobStatus.Failed ? 1 : 0);
        var heartbeat = await harness.Runner.HeartbeatAsync(new HeartbeatRequest { RunnerId = runner.RunnerId });

        Assert.Equal(outcome, (await harness.User.FindJobAsync(lease.JobId))!.Status);
        Assert.Empty(heartbeat.Stop);
    }

    [Fact]
    public async Task OutcomeStopped_WithoutAStopOrder_IsAConflict()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;

        var error = await Assert.ThrowsAsync<DstackApiException>(() => harness.Runner.ReportOutcomeAsync(lease.JobId,
            new JobOutcome { FencingToken = lease.FencingToken, Status = JobStatus.Stopped }));

        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        Assert.Equal($"job {lease.JobId} is RUNNING: it can't become STOPPED", error.Message);
        Assert.Equal(JobStatus.Running, (await harness.User.FindJobAsync(lease.JobId))!.Status);
    }

    [Fact]
    public async Task ProgressThatCrossesAStopOrder_IsAccepted_AndTheStopStands()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;
        await harness.User.StopJobAsync(lease.JobId, new StopRequest());

        await harness.Runner.ReportProgressAsync(lease.JobId, new JobProgressReport { FencingToken = lease.FencingToken, Status = JobStatus.Uploading });

        Assert.Equal(JobStatus.Stopping, (await harness.User.FindJobAsync(lease.JobId))!.Status);
    }

    [Fact]
    public async Task StopWithANegativeGrace_IsABadRequest()
    {
        await using var harness = await ServerHarness.StartAsync();
        var run = await harness.SubmitAsync("encode-dataset");

        var error = await Assert.ThrowsAsync<DstackApiException>(() => harness.User.StopRunAsync(run.RunName, new StopRequest { GraceSeconds = -1 }));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("0 or more seconds", error.Message);
        Assert.Equal(JobStatus.Submitted, (await harness.User.FindRunAsync(run.RunName))!.Status);
    }

    [Fact]
    public async Task StopOfAnUnknownRunOrJob_IsNotFound()
    {
        await using var harness = await ServerHarness.StartAsync();

        var run = await Assert.ThrowsAsync<DstackApiException>(() => harness.User.StopRunAsync("no-such-run", new StopRequest()));
        var job = await Assert.ThrowsAsync<DstackApiException>(() => harness.User.StopJobAsync("0123456789ab", new StopRequest()));

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (run.StatusCode, job.StatusCode));
        Assert.Contains("no run named no-such-run", run.Message);
        Assert.Contains("no job with id 0123456789ab", job.Message);
    }
}
