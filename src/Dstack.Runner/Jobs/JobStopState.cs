using Dstack.Contracts.Runner;

namespace Dstack.Runner.Jobs;

/// <summary>
/// The stop orders a job has received. The server repeats an order until the outcome arrives (through the
/// orders long-poll and every heartbeat answer), so each kind is acted on once: the first graceful order
/// starts the stop, the first abort order overrides whatever is under way; repeats change nothing.
/// </summary>
public sealed class JobStopState : IDisposable
{
    private readonly TaskCompletionSource<JobStopOrder> _graceful = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<JobStopOrder> _abort = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _anyOrder = new();
    private readonly CancellationTokenSource _abortOrder = new();

    /// <summary>Completes with the first graceful stop order.</summary>
    public Task<JobStopOrder> Graceful => _graceful.Task;

    /// <summary>Completes with the first abort order.</summary>
    public Task<JobStopOrder> Abort => _abort.Task;

    public bool IsRequested => Graceful.IsCompleted || Abort.IsCompleted;

    public bool IsAborted => Abort.IsCompleted;

    /// <summary>Cancelled by the first order of either kind: what has not started yet (the workspace) is not worth finishing.</summary>
    public CancellationToken AnyOrderToken => _anyOrder.Token;

    /// <summary>Cancelled by an abort: nothing more is uploaded.</summary>
    public CancellationToken AbortToken => _abortOrder.Token;

    /// <summary>Records the order; true when it is news (the first of its kind), false for a repeat.</summary>
    public bool Apply(JobStopOrder order)
    {
        if (!(order.Abort ? _abort : _graceful).TrySetResult(order)) return false;
        try
        {
            _anyOrder.Cancel();
            if (order.Abort) _abortOrder.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // the job already ended
        }
        return true;
    }

    public void Dispose()
    {
        _anyOrder.Dispose();
        _abortOrder.Dispose();
    }
}
