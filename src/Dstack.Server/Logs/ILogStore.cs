using Dstack.Contracts.Logs;
using Dstack.Server.Jobs;

namespace Dstack.Server.Logs;

/// <summary>
/// Log records of jobs, keyed by (job, attempt, offset) so a re-sent chunk is stored once. Read in pages, never whole:
/// a job may write 100 MB.
/// </summary>
public interface ILogStore
{
    /// <summary>Stores the chunks in one transaction; returns the offset up to which the attempt's log is stored.</summary>
    long Append(LeaseCheck lease, int attempt, IReadOnlyList<LogChunk> chunks);

    /// <summary>The sequence number of the newest record in scope (0 when none).</summary>
    long LastSeq(LogScope scope);

    /// <summary>
    /// A page of records with seq &lt;= <paramref name="maxSeq"/> after the cursor: a job's attempt by attempt, each in time
    /// order; a run's jobs interleaved in time order.
    /// </summary>
    IReadOnlyList<StoredLogRecord> ReadInOrder(LogScope scope, DateTimeOffset? since, long maxSeq, LogCursor? after, int limit);

    /// <summary>A page of records that arrived after <paramref name="afterSeq"/>, in arrival order.</summary>
    IReadOnlyList<StoredLogRecord> ReadArrivedAfter(LogScope scope, DateTimeOffset? since, long afterSeq, int limit);
}
