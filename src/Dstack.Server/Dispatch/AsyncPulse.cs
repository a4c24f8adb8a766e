namespace Dstack.Server.Dispatch;

/// <summary>
/// An in-process wake-up: waiters take <see cref="NextPulse"/> BEFORE they look at the database, then await it;
/// a pulse completes it and arms a new one. A change made between the look and the wait is never missed.
/// </summary>
public class AsyncPulse
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task NextPulse => Volatile.Read(ref _next).Task;

    public void Pulse()
    {
        var fired = Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        fired.TrySetResult();
    }
}
