using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runner;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Runners;

public sealed class LeaseReaperTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task SilentRunner_LosesItsJobs_WithReasonRunnerLost_WhileAHeartbeatingOneKeepsItsOwn()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        await using var harness = await ServerHarness.StartAsync(o => o with { RunnerTimeout = Timeout }, time: clock);
        var silent = await harness.RegisterRunnerAsync();
        var alive = await harness.RegisterRunnerAsync();
        var run = await harness.SubmitAsync("finetune-model");
        var lost = (await harness.LeaseAsync(silent))!;
        var kept = (await harness.LeaseAsync(alive))!;

        clock.Advance(Timeout * 0.6);
        await harness.Runner.HeartbeatAsync(new HeartbeatRequest { RunnerId = alive.RunnerId, Jobs = [new(kept.JobId, kept.FencingToken)] });
        clock.Advance(Timeout * 0.6);
        var failed = await Eventually.Until(() => harness.User.FindJobAsync(lost.JobId), j => j!.Status == JobStatus.Failed, what: "the silent runner's job to fail");
        var afterReap = (await harness.User.FindRunAsync(run.RunName))!;

        Assert.Equal("runner lost", failed!.Reason);
        Assert.Equal(JobStatus.Running, afterReap.Jobs.Single(j => j.JobId == kept.JobId).Status);
        Assert.Equal("dependency " + lost.Workflow + " failed", afterReap.Jobs.Single(j => j.Workflow == "finetune-model").Reason);
        var heartbeat = await harness.Runner.HeartbeatAsync(new HeartbeatRequest { RunnerId = silent.RunnerId, Jobs = [new(lost.JobId, lost.FencingToken)] });
        Assert.Equal([lost.JobId], heartbeat.Revoked);
    }

    [Fact]
    public async Task ALeaseCall_CountsAsHearingFromTheRunner_WhetherItGetsAJobOrNot()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        await using var harness = await ServerHarness.StartAsync(o => o with { RunnerTimeout = Timeout }, time: clock);
        var silent = await harness.RegisterRunnerAsync();
        var leasing = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("finetune-model");
        await harness.SubmitAsync("finetune-model");
        var lost = (await harness.LeaseAsync(silent))!;
        var first = (await harness.LeaseAsync(leasing))!;

        // No heartbeat: only lease calls, the first with a job to take (the lease's own commit marks the runner seen)...
        clock.Advance(Timeout * 0.6);
        Assert.NotNull(await harness.LeaseAsync(leasing, waitMs: 0));
        clock.Advance(Timeout * 0.6);
        await Eventually.Until(() => harness.User.FindJobAsync(lost.JobId), j => j!.Status == JobStatus.Failed, what: "the silent runner's job to fail");
        Assert.Equal(JobStatus.Running, (await harness.User.FindJobAsync(first.JobId))!.Status);

        // ...then with none it may take: a second silent runner shows when the reaper has looked again.
        var silentToo = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("finetune-model");
        var lostToo = (await harness.LeaseAsync(silentToo))!;
        while (await harness.LeaseAsync(leasing, waitMs: 0) is not null) { }
        clock.Advance(Timeout * 0.6);
        Assert.Null(await harness.LeaseAsync(leasing, waitMs: 0));
        clock.Advance(Timeout * 0.6);
        await Eventually.Until(() => harness.User.FindJobAsync(lostToo.JobId), j => j!.Status == JobStatus.Failed, what: "the second silent runner's job to fail");
        Assert.Equal(JobStatus.Running, (await harness.User.FindJobAsync(first.JobId))!.Status);
    }
}
