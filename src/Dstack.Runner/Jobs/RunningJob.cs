using Dstack.Contracts.Runner;

namespace Dstack.Runner.Jobs;

/// <summary>A job this runner holds: its lease, the token that cancels everything done for it, and the stop orders it got.</summary>
public sealed class RunningJob : IDisposable
{
    private readonly CancellationTokenSource _abort;
    private string? _lostReason;

    public RunningJob(JobLease lease, CancellationToken shutdown)
    {
        Lease = lease;
        _abort = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
    }

    public JobLease Lease { get; }

    /// <summary>Cancelled when the job is no longer ours or the runner shuts down.</summary>
    public CancellationToken Token => _abort.Token;

    /// <summary>Stop and abort orders from the server (unlike <see cref="Token"/>, the job is still ours and its end is reported).</summary>
    public JobStopState Stop { get; } = new();

    /// <summary>Why the job is no longer ours (revoked, refused by the server); null while it is.</summary>
    public string? LostReason => Volatile.Read(ref _lostReason);

    /// <summary>The job is no longer ours: stop everything, report nothing more.</summary>
    public void Lose(string reason)
    {
        Interlocked.CompareExchange(ref _lostReason, reason, null);
        try
        {
            _abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // the job already ended
        }
    }

    public void Dispose()
    {
        _abort.Dispose();
        Stop.Dispose();
    }
}
