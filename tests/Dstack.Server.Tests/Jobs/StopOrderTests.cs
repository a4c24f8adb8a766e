using System.Net;
using Dstack.Contracts.Client;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runner;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Jobs;

public sealed class StopOrderTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task OrdersPoll_WithNothingPending_AnswersEmpty_WhenItsWaitIsOver()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("encode-dataset");
        await harness.LeaseAsync(runner);

        var orders = await harness.OrdersAsync(runner, waitMs: 100).WaitAsync(Bound);

        Assert.Empty(orders.Stop);
    }

    [Fact]
    public async Task OrdersPoll_OfAnUnknownRunner_IsNotFound()
    {
        await using var harness = await ServerHarness.StartAsync();

        var error = await Assert.ThrowsAsync<DstackApiException>(() => harness.Runner.GetOrdersAsync(new RunnerOrdersRequest { RunnerId = "ghost", WaitMs = 50 }));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("register again", error.Message);
    }

    [Fact]
    public async Task OrdersPoll_AnswersAnOrderOnce_WhileTheHeartbeatRepeatsIt_UntilTheOutcome()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;
        await harness.User.StopJobAsync(lease.JobId, new StopRequest { GraceSeconds = 1 });

        var first = await harness.OrdersAsync(runner, waitMs: 30_000).WaitAsync(Bound);
        var second = await harness.OrdersAsync(runner, waitMs: 100).WaitAsync(Bound);
        var beat1 = await harness.Runner.HeartbeatAsync(new HeartbeatRequest { RunnerId = runner.RunnerId, Jobs = [new(lease.JobId, lease.FencingToken)] });
        var beat2 = await harness.Runner.HeartbeatAsync(new HeartbeatRequest { RunnerId = runner.RunnerId, Jobs = [new(lease.JobId, lease.FencingToken)] });
        await harness.Runner.ReportOutcomeAsync(lease.JobId, new JobOutcome { FencingToken = lease.FencingToken, Status = JobStatus.Stopped });
        var beat3 = await harness.Runner.HeartbeatAsync(new HeartbeatRequest { RunnerId = runner.RunnerId });

        var order = new JobStopOrder { JobId = lease.JobId, FencingToken = lease.FencingToken, Abort = false, GraceMs = 1000 };
        Assert.Equal([order], first.Stop);
        Assert.Empty(second.Stop);
        Assert.Equal([order], beat1.Stop);
        Assert.Equal([order], beat2.Stop);
        Assert.Empty(beat1.Revoked);
        Assert.Empty(beat3.Stop);
    }

    [Fact]
    public async Task OrdersPoll_AnswersWithEveryPendingOrder_WhenANewOneArrives()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("finetune-model");
        var first = (await harness.LeaseAsync(runner))!;
        var second = (await harness.LeaseAsync(runner))!;
        await harness.User.StopJobAsync(first.JobId, new StopRequest());
        await harness.OrdersAsync(runner, waitMs: 30_000).WaitAsync(Bound);
        var poll = harness.OrdersAsync(runner, waitMs: 30_000);

        await harness.User.StopJobAsync(second.JobId, new StopRequest { Abort = true });
        var orders = await poll.WaitAsync(Bound);

        Assert.Equal([(first.JobId, false), (second.JobId, true)], orders.Stop.Select(o => (o.JobId, o.Abort)));
    }

    [Fact]
    public async Task StopOrder_GoesOnlyToTheRunnerHoldingTheJob()
    {
        await using var harness = await ServerHarness.StartAsync();
        var holder = await harness.RegisterRunnerAsync();
        var other = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(holder))!;

        await harness.User.StopJobAsync(lease.JobId, new StopRequest());
        var holderOrders = await harness.OrdersAsync(holder, waitMs: 30_000).WaitAsync(Bound);
        var otherOrders = await harness.OrdersAsync(other, waitMs: 100).WaitAsync(Bound);
        var otherBeat = await harness.Runner.HeartbeatAsync(new HeartbeatRequest { RunnerId = other.RunnerId });

        Assert.Single(holderOrders.Stop);
        Assert.Empty(otherOrders.Stop);
        Assert.Empty(otherBeat.Stop);
    }

    [Fact]
    public async Task StoppingJobOfASilentRunner_FailsAsRunnerLost()
    {
        var timeout = TimeSpan.FromMilliseconds(200);
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        await using var harness = await ServerHarness.StartAsync(o => o with { RunnerTimeout = timeout }, time: clock);
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;
        await harness.User.StopJobAsync(lease.JobId, new StopRequest());

        clock.Advance(timeout * 2);
        var job = await Eventually.Until(() => harness.User.FindJobAsync(lease.JobId), j => j!.Status == JobStatus.Failed, what: "the stopping job to fail");

        Assert.Equal("runner lost", job!.Reason);
    }
}
