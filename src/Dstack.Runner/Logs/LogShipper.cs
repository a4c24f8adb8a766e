using Dstack.Contracts.Logs;

namespace Dstack.Runner.Logs;

/// <summary>
/// Sends a spool to the server: wakes as soon as a record is appended (a line reaches the server in
/// milliseconds, no polling), sends everything past the acknowledged offset in one request of at most
/// <see cref="MaxBatchBytes"/>, and while a request is in flight lets new output accumulate into the next
/// batch, so a job printing a million lines makes a few requests, not a million. Resending is harmless:
/// the server keys records by offset, and answers up to where it has everything.
/// </summary>
public sealed class LogShipper(LogSpool spool, Func<IReadOnlyList<LogChunk>, CancellationToken, Task<long>> send)
{
    public const int MaxBatchBytes = 4 << 20;

    private long _position; // file position of the first record not acknowledged

    /// <summary>Output bytes the server has acknowledged (everything before this offset is stored).</summary>
    public long AckedOffset { get; private set; }

    /// <summary>Ships until the spool is complete and all of it is acknowledged. May be called again after a cancellation.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        using var reader = new LogSpoolReader(spool.Path);
        while (true)
        {
            var complete = spool.IsComplete; // read before the length: once complete, the length is final
            var end = spool.Length;
            if (_position < end)
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
        var (chunks, next) = reader.ReadBatch(_position, end, MaxBatchBytes);
        var acked = await send(chunks, ct);
        var last = chunks[^1];
        if (acked >= last.Offset + last.Data.Length)
        {
            _position = next;
            AckedOffset = last.Offset + last.Data.Length;
        }
        else if (acked > AckedOffset)
        {
            // The server kept only the first records of the batch: resend from the first one it lacks.
            _position = reader.PositionOf(acked, end);
            AckedOffset = acked;
        }
        else
        {
            // The server stored nothing new: give it a moment rather than spin on the same batch.
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }
    }
}
