using System.Buffers;
using System.Text.Json;
using Dstack.Contracts;
using Microsoft.AspNetCore.Http;

namespace Dstack.Server.Logs;

/// <summary>
/// Writes log records as NDJSON, one LogRecord per line, flushed page by page (a page at a time in memory, whatever
/// the log's size). The records present when the request arrives go out in order (a job's attempt by attempt, each in
/// time order; a run's jobs interleaved by time); with follow, records that
/// arrive later go out as they arrive, until the job or run has finished and everything is sent.
/// </summary>
public sealed class LogStreamer(ILogStore logs, LogSignal signal)
{
    private const int PageSize = 256;

    public async Task StreamAsync(HttpResponse response, LogScope scope, DateTimeOffset? since, bool follow, Func<bool> isFinished, CancellationToken ct)
    {
        response.ContentType = "application/x-ndjson";
        await response.StartAsync(ct);
        var writer = response.BodyWriter;
        await using var json = new Utf8JsonWriter(writer);

        // Everything up to this sequence number is sent in time order; what arrives after it is followed in arrival order.
        var snapshot = logs.LastSeq(scope);
        LogCursor? cursor = null;
        while (true)
        {
            var page = logs.ReadInOrder(scope, since, snapshot, cursor, PageSize);
            await WritePageAsync(page, json, response, ct);
            if (page.Count < PageSize) break;
            cursor = new LogCursor(page[^1].Record.Attempt, page[^1].Record.Time, page[^1].Seq);
        }
        if (!follow) return;

        var lastSeq = snapshot;
        while (!ct.IsCancellationRequested)
        {
            var wake = signal.NextPulse;
            // Status first, records second: a job reports its outcome only after its logs are stored, so when it was
            // already finished before this read, the read below gets its last record.
            var finished = isFinished();
            var page = logs.ReadArrivedAfter(scope, since, lastSeq, PageSize);
            await WritePageAsync(page, json, response, ct);
            if (page.Count > 0) lastSeq = page[^1].Seq;
            if (page.Count == PageSize) continue;
            if (finished) return;
            try
            {
                await wake.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task WritePageAsync(IReadOnlyList<StoredLogRecord> page, Utf8JsonWriter json, HttpResponse response, CancellationToken ct)
    {
        if (page.Count == 0) return;
        foreach (var stored in page)
        {
            JsonSerializer.Serialize(json, stored.Record, DstackJsonContext.Default.LogRecord);
            await json.FlushAsync(ct);
            json.Reset();
            response.BodyWriter.Write("\n"u8);
        }
        await response.BodyWriter.FlushAsync(ct);
    }
}
