using Dstack.Contracts.Logs;

namespace Dstack.Cli.Logs;

/// <summary>Writes log records as they arrive: each job's lines prefixed when there are several jobs, each attempt of a resumed job marked.</summary>
public sealed class LogRecordWriter(LogLinePrefixer lines, AttemptMarkers markers)
{
    public async Task WriteAsync(LogRecord record, CancellationToken ct)
    {
        if (markers.Before(record.JobId, record.Attempt) is { } marker) await lines.WriteOwnLineAsync(record.JobId, marker, ct);
        await lines.WriteAsync(record.JobId, record.Data, ct);
    }

    public Task FlushAsync(CancellationToken ct) => lines.FlushAsync(ct);
}
