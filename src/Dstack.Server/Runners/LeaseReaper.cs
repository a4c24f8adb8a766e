using Dstack.Server.Dispatch;
using Dstack.Server.Hosting;
using Dstack.Server.Jobs;
using Dstack.Server.Logs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dstack.Server.Runners;

/// <summary>
/// Fails the jobs of runners that stopped calling in: a runner silent for longer than the runner timeout is lost,
/// and the jobs it holds (RUNNING, UPLOADING, STOPPING, ABORTING) become FAILED with the reason `runner lost` (their dependents fail with them).
/// </summary>
public sealed class LeaseReaper(
    IJobStore jobs, ServerOptions options, TimeProvider time, DispatchSignal dispatch, LogSignal logs, ILogger<LeaseReaper> logger)
    : BackgroundService
{
    public const string RunnerLostReason = "runner lost";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Checking four times per timeout bounds how late a lost runner is noticed to a quarter of the timeout.
        var period = options.RunnerTimeout / 4;
        if (period < TimeSpan.FromMilliseconds(20)) period = TimeSpan.FromMilliseconds(20);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                ReapOnce();
            }
            catch (Exception e)
            {
                logger.LogError(e, "lease reaper pass failed");
            }
        }
    }

    /// <summary>One pass; returns how many jobs it failed.</summary>
    public int ReapOnce()
    {
        var now = time.GetUtcNow();
        var failed = jobs.FailJobsOfSilentRunners(now - options.RunnerTimeout, now, RunnerLostReason);
        if (failed > 0)
        {
            logger.LogWarning("{Count} job(s) failed: their runner was not heard from for {Timeout}", failed, options.RunnerTimeout);
            dispatch.Pulse();
            logs.Pulse();
        }
        return failed;
    }
}
