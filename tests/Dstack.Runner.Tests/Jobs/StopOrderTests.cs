using Dstack.Contracts.Runner;
using Dstack.Runner.Hosting;
using Dstack.Runner.Jobs;

namespace Dstack.Runner.Tests.Jobs;

public sealed class StopOrderTests : IDisposable
{
    private readonly StringWriter _log = new();
    private readonly ActiveJobSet _jobs = new();
    private readonly RunningJob _job;

    public StopOrderTests()
    {
        _job = new RunningJob(new JobLease
        {
            JobId = "aaaaaaaaaaaa",
            RunName = "fast-rabbit-1",
            Workflow = "train",
            FencingToken = 7,
            Attempt = 2,
            Spec = new JobSpec
            {
                RepoUrl = "/repo",
                Commit = new string('a', 40),
                Commands = ["true"],
                WorkingDir = ".",
                Environment = new Dictionary<string, string>(),
                Artifacts = [],
            },
        }, CancellationToken.None);
        _jobs.Add(_job);
    }

    private static JobStopOrder Order(bool abort = false, long token = 7, string jobId = "aaaaaaaaaaaa", int graceMs = 10_000) =>
        new() { JobId = jobId, FencingToken = token, Abort = abort, GraceMs = graceMs };

    private int Apply(params JobStopOrder[] orders) => _jobs.ApplyStopOrders(orders, new RunnerLog(_log));

    [Fact]
    public async Task AStopOrderIsActedOnOnce_HoweverOftenTheServerRepeatsIt()
    {
        Assert.Equal(1, Apply(Order(graceMs: 500)));
        Assert.Equal(0, Apply(Order(graceMs: 500), Order(graceMs: 2000)));

        Assert.True(_job.Stop.Graceful.IsCompletedSuccessfully);
        Assert.Equal(500, (await _job.Stop.Graceful).GraceMs);
        Assert.True(_job.Stop.AnyOrderToken.IsCancellationRequested);
        Assert.False(_job.Stop.IsAborted);
        Assert.False(_job.Stop.AbortToken.IsCancellationRequested);
        Assert.False(_job.Token.IsCancellationRequested); // the job is still ours: its end will be reported
        Assert.Single(_log.ToString().Split('\n'), line => line.Contains("stop order (0.5 s grace)", StringComparison.Ordinal));
    }

    [Fact]
    public void AnAbortOverridesAGracefulStopUnderWay_AndIsActedOnOnceToo()
    {
        Apply(Order());

        Assert.Equal(1, Apply(Order(abort: true)));
        Assert.Equal(0, Apply(Order(abort: true), Order()));

        Assert.True(_job.Stop.IsAborted);
        Assert.True(_job.Stop.AbortToken.IsCancellationRequested);
    }

    [Fact]
    public void AnOrderWithAnotherFencingToken_IsRefusedAndLoggedOnce()
    {
        Assert.Equal(0, Apply(Order(token: 6), Order(token: 6, abort: true)));

        Assert.False(_job.Stop.IsRequested);
        Assert.Single(_log.ToString().Split('\n'), line => line.Contains("fencing token 6 is not the lease's 7", StringComparison.Ordinal));
    }

    [Fact]
    public void AnOrderForAJobTheRunnerDoesNotHold_IsDropped()
    {
        Assert.Equal(0, Apply(Order(jobId: "bbbbbbbbbbbb")));

        Assert.False(_job.Stop.IsRequested);
        Assert.Equal("", _log.ToString());
    }

    public void Dispose() => _job.Dispose();
}
