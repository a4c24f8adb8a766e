using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runner;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Runners;

public sealed class OrphanedLeaseTests
{
    [Fact]
    public async Task JobTheRunnerNoLongerLists_FailsAfterTheGrace_WhileAFreshLeaseIsKept()
    {
        var timeout = TimeSpan.FromSeconds(30);
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        await using var harness = await ServerHarness.StartAsync(o => o with { RunnerTimeout = timeout }, time: clock);
        var runner = await harness.RegisterRunnerAsync();
        var run = await harness.SubmitAsync("finetune-model");
        var held = (await harness.LeaseAsync(runner))!;
        var forgotten = (await harness.LeaseAsync(runner))!;

        var early = await harness.Runner.HeartbeatAsync(new HeartbeatRequest { RunnerId = runner.RunnerId, Jobs = [new(held.JobId, held.FencingToken)] });
        var stillRunning = (await harness.User.FindJobAsync(forgotten.JobId))!.Status;
        // Two steps, a heartbeat between them: the runner never looks lost, but the lease grows older than the timeout.
        clock.Advance(timeout * 0.6);
        await harness.Runner.HeartbeatAsync(new HeartbeatRequest { RunnerId = runner.RunnerId, Jobs = [new(held.JobId, held.FencingToken)] });
        clock.Advance(timeout * 0.6);
        await harness.Runner.HeartbeatAsync(new HeartbeatRequest { RunnerId = runner.RunnerId, Jobs = [new(held.JobId, held.FencingToken)] });
        var after = (await harness.User.FindRunAsync(run.RunName))!;

        Assert.Empty(early.Revoked);
        Assert.Equal(JobStatus.Running, stillRunning);
        var orphan = after.Jobs.Single(j => j.JobId == forgotten.JobId);
        Assert.Equal(JobStatus.Failed, orphan.Status);
        Assert.Contains("does not have the job", orphan.Reason);
        Assert.Equal(JobStatus.Running, after.Jobs.Single(j => j.JobId == held.JobId).Status);
        Assert.Equal(JobStatus.Failed, after.Jobs.Single(j => j.Workflow == "finetune-model").Status);
    }
}
