namespace Dstack.Contracts.Logs;

/// <summary>
/// A piece of a job's output exactly as the job wrote it: raw bytes (base64 on the wire), never
/// split or re-encoded, so `\r` progress bars, missing final newlines and non-UTF-8 output survive.
/// Lines are split only for display.
/// </summary>
public sealed record LogRecord
{
    public required string JobId { get; init; }
    public required int Attempt { get; init; }
    public required LogStream Stream { get; init; }
    /// <summary>When the runner read these bytes from the job.</summary>
    public required DateTimeOffset Time { get; init; }
    /// <summary>Byte offset of this record in the job attempt's spool: unique per (job, attempt), the acknowledgement unit.</summary>
    public required long Offset { get; init; }
    public required byte[] Data { get; init; }
}
