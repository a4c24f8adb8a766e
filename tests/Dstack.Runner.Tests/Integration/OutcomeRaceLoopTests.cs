using Dstack.Contracts.Jobs;
using Dstack.Runner.Tests.Support;

namespace Dstack.Runner.Tests.Integration;

/// <summary>
/// A heartbeat that crosses an outcome: the server has recorded the job's end and handed the slot its next job in the
/// outcome's answer, and a heartbeat sent before that answer arrived still lists the job, so the server calls it revoked.
/// </summary>
public sealed class OutcomeRaceLoopTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    // Heartbeats every 3 s; a job leased and not held by the runner fails as orphaned after 9 s (a margin for a busy machine).
    private readonly LoopHarness _loop = new() { RunnerTimeout = TimeSpan.FromSeconds(9) };

    public Task InitializeAsync() => _loop.StartServerAsync();

    public Task DisposeAsync() => _loop.DisposeAsync().AsTask();

    [Fact]
    public async Task ARevocationThatCrossesTheOutcome_DoesNotLoseTheNextJobItsAnswerBrings()
    {
        const string workflows = """
            workflows:
              - name: a
                commands: [echo a]
              - name: b
                depends-on: [a]
                commands: [echo b]
            """;
        var run = await _loop.SubmitAsync(workflows, "b");
        var first = run.Jobs.Single(j => j.Workflow == "a").JobId;
        // a's outcome is recorded (and b leased in its answer); the answer waits until a heartbeat has been told a is over.
        await using var proxy = new RequestCountingProxy(_loop.Server.Url, "POST /api/runners/lease ",
            holdAnswerTo: $"POST /api/runner-jobs/{first}/outcome ",
            release: () => Wait.UntilAsync(() => _loop.RunnerLog.Contains($"job {first}: the server revoked its lease", StringComparison.Ordinal),
                Bound, "a heartbeat to revoke the finished job"));
        await _loop.PublishServerAsync(proxy.Url);
        _loop.StartRunner(slots: 1);

        run = await _loop.WaitForRunAsync(run.RunName, Bound);

        Assert.Contains($"job {first}: the server revoked its lease", _loop.RunnerLog, StringComparison.Ordinal);
        Assert.Equal(JobStatus.Done, run.Status);
        Assert.All(run.Jobs, j => Assert.Equal(JobStatus.Done, j.Status));
        await _loop.StopRunnerAsync();
    }
}
