using Dstack.Contracts.Runner;
using Dstack.Server.Errors;
using Dstack.Server.Jobs;
using Dstack.Server.Runners;

namespace Dstack.Server.Dispatch;

/// <summary>
/// The orders long-poll: answer at once with the runner's pending stop orders when one is new to it, else wait on
/// the runner's own signal (pulsed by a stop of one of its jobs) until its wait is over, then answer empty.
/// </summary>
public sealed class OrderDispatcher(IJobStore jobs, IRunnerStore runners, RunnerOrderSignals signals, TimeProvider time)
{
    public async Task<RunnerOrders> WaitAsync(RunnerOrdersRequest request, CancellationToken ct)
    {
        var wait = TimeSpan.FromMilliseconds(Math.Max(0, request.WaitMs));
        if (wait > JobDispatcher.MaxWait) wait = JobDispatcher.MaxWait;
        var deadline = time.GetUtcNow() + wait;
        var channel = signals.For(request.RunnerId);
        while (true)
        {
            // The pulse is taken before the look, so a stop recorded between the look and the wait is not missed.
            var wake = channel.NextPulse;
            if (!runners.Touch(request.RunnerId, time.GetUtcNow()))
            {
                throw ApiErrorException.NotFound($"unknown runner {request.RunnerId}: register again (POST /api/runners/register)");
            }
            var orders = channel.TakeNew(jobs.StopOrders(request.RunnerId));
            if (orders.Count > 0) return new RunnerOrders { Stop = orders };
            var remaining = deadline - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero || ct.IsCancellationRequested) return new RunnerOrders();
            try
            {
                await wake.WaitAsync(remaining, time, ct);
            }
            catch (TimeoutException)
            {
                return new RunnerOrders();
            }
            catch (OperationCanceledException)
            {
                return new RunnerOrders();
            }
        }
    }
}
