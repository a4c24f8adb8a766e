using Dstack.Contracts.Logs;

namespace Dstack.Runner.Logs;

/// <summary>
/// Sends a spool to the server: wakes as soon as a record is appended (a line reaches the server in
/// milliseconds, no polling), sends everything past the acknowledged offset in one request of at most
/// <see cref="MaxBatchBytes"/>, and while a request is in flight lets new output accumulate into the next
/// batch, so a job printing a million lines makes a few hundred requests, not a million. Resending is
/// harmless: the server keys records by offset.
/// </summary>
public sealed class LogShipper(LogSpool spool, Func<IReadOnlyList<LogChunk>, CancellationToken, Task<long>> send)
{
    public const int MaxBatchBytes = 4 << 20;

    public long AckedOffset { get; private set; }

    /// <summary>Ships until the spool is complete and all of it is acknowledged. May be called again after a cancellation.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        using var reader = new LogSpoolReader(spool.Path);
        while (true)
        {
            var complete = spool.IsComplete; // read before the length: once complete, the length is final
            var end = spool.Length;
            if (AckedOffset < end)
            {
                await ShipAsync(reader, end, ct);
                continue;
            }
            if (complete) return;
            await spool.WaitForDataAsync(ct);
        }
    }

    private async Task ShipAsync(LogSpoolReader reader, long end, CancellationToken ct)
    {
        var (chunks, _) = reader.ReadBatch(AckedOffset, end, MaxBatchBytes);
        var acked = await send(chunks, ct);
        if (acked > AckedOffset)
        {
            AckedOffset = Math.Min(acked, end);
        }
        else
        {
            // The server stored nothing new: give it a moment rather than spin on the same batch.
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }
    }
}
