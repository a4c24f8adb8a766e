using Dstack.Contracts.Logs;
using Dstack.Server.Jobs;
using Dstack.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Dstack.Server.Logs;

public sealed class SqliteLogStore(SqliteDatabase db) : ILogStore
{
    private const string Columns = "seq, job_id, attempt, log_offset, stream, logged_at, data";

    public long Append(LeaseCheck lease, int attempt, IReadOnlyList<LogChunk> chunks)
    {
        return db.Write((connection, transaction) =>
        {
            using (var insert = connection.Command(
                """
                INSERT OR IGNORE INTO log_records (job_id, run_id, attempt, log_offset, stream, logged_at, data)
                VALUES (@job, @run, @attempt, @offset, @stream, @time, @data)
                """,
                transaction,
                ("@job", lease.JobId), ("@run", lease.RunId), ("@attempt", attempt), ("@offset", 0L), ("@stream", 0), ("@time", 0L), ("@data", Array.Empty<byte>())))
            {
                foreach (var chunk in chunks)
                {
                    insert.Parameters["@offset"].Value = chunk.Offset;
                    insert.Parameters["@stream"].Value = (int)chunk.Stream;
                    insert.Parameters["@time"].Value = DbTime.ToDb(chunk.Time);
                    insert.Parameters["@data"].Value = chunk.Data;
                    insert.ExecuteNonQuery();
                }
            }
            // The runner ships its spool in order, so the end of the furthest record is what it may drop. Read through the
            // (job, attempt, offset) key backwards: one index probe, however long the log.
            var acked = connection.Scalar(
                "SELECT log_offset + length(data) FROM log_records WHERE job_id = @job AND attempt = @attempt ORDER BY log_offset DESC LIMIT 1",
                transaction, ("@job", lease.JobId), ("@attempt", attempt));
            return acked is null ? 0 : (long)acked;
        });
    }

    public long LastSeq(LogScope scope)
    {
        using var connection = db.Open();
        var (filter, parameters) = Filter(scope);
        // Here each member job's index answers (the + form would walk the whole table).
        return connection.Scalar($"SELECT MAX(seq) FROM log_records WHERE {filter.TrimStart('+')}", null, parameters) as long? ?? 0;
    }

    public IReadOnlyList<StoredLogRecord> ReadInOrder(LogScope scope, DateTimeOffset? since, long maxSeq, LogCursor? after, int limit)
    {
        // A job's attempts follow one another whatever the clocks of the runners that ran them said.
        var order = scope.JobId is not null ? "attempt, logged_at, seq" : "logged_at, seq";
        var cursor = scope.JobId is not null ? "(@afterAttempt, @afterTime, @afterSeq)" : "(@afterTime, @afterSeq)";
        (string, object?)[] common =
        [
            ("@max", maxSeq), ("@since", since is null ? long.MinValue : DbTime.ToDb(since.Value)),
            ("@afterAttempt", after?.Attempt ?? int.MinValue),
            ("@afterTime", after is null ? long.MinValue : DbTime.ToDb(after.Time)), ("@afterSeq", after?.Seq ?? long.MinValue), ("@limit", limit),
        ];
        if (scope.JobIds is { } jobIds)
        {
            // One page per member job through its (job_id, logged_at, seq) index, merged here: a page costs members x limit
            // rows however long the logs are, where one `job_id IN` query would sort every record after the cursor. One
            // statement, prepared once and run per member (a compound SELECT of every member is slow to prepare, and
            // SQLite takes at most 500 terms in one).
            using var connection = db.Open();
            using var command = connection.Command(
                $"""
                SELECT {Columns} FROM log_records
                WHERE job_id = @job AND seq <= @max AND logged_at >= @since AND ({order}) > {cursor}
                ORDER BY {order} LIMIT @limit
                """,
                null, [.. common, ("@job", "")]);
            command.Prepare();
            var merged = new List<StoredLogRecord>();
            foreach (var jobId in jobIds)
            {
                command.Parameters["@job"].Value = jobId;
                merged.AddRange(ReadRecords(command));
            }
            return [.. merged.OrderBy(r => r.Record.Time).ThenBy(r => r.Seq).Take(limit)];
        }
        var (filter, parameters) = Filter(scope);
        return Read(
            $"""
            SELECT {Columns} FROM log_records
            WHERE {filter} AND seq <= @max AND logged_at >= @since AND ({order}) > {cursor}
            ORDER BY {order} LIMIT @limit
            """,
            [.. parameters, .. common]);
    }

    public IReadOnlyList<StoredLogRecord> ReadArrivedAfter(LogScope scope, DateTimeOffset? since, long afterSeq, int limit)
    {
        var (filter, parameters) = Filter(scope);
        return Read(
            $"SELECT {Columns} FROM log_records WHERE seq > @after AND {filter} AND logged_at >= @since ORDER BY seq LIMIT @limit",
            [.. parameters, ("@after", afterSeq), ("@since", since is null ? long.MinValue : DbTime.ToDb(since.Value)), ("@limit", limit)]);
    }

    /// <summary>
    /// The WHERE term of the scope. Member jobs are matched with `+job_id` so that SQLite walks the arrival order (seq)
    /// from the cursor instead of every record of those jobs.
    /// </summary>
    private static (string Filter, (string Name, object? Value)[] Parameters) Filter(LogScope scope)
    {
        if (scope.JobId is not null) return ("job_id = @scope", [("@scope", scope.JobId)]);
        if (scope.JobIds is { } jobIds)
        {
            var names = jobIds.Select((_, i) => $"@job{i}").ToList();
            return ($"+job_id IN ({string.Join(", ", names)})", jobIds.Select((id, i) => (names[i], (object?)id)).ToArray());
        }
        return ("run_id = @scope", [("@scope", scope.RunId!.Value)]);
    }

    private List<StoredLogRecord> Read(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = db.Open();
        using var command = connection.Command(sql, null, parameters);
        return ReadRecords(command);
    }

    private static List<StoredLogRecord> ReadRecords(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var records = new List<StoredLogRecord>();
        while (reader.Read())
        {
            records.Add(new StoredLogRecord(reader.GetInt64(0), new LogRecord
            {
                JobId = reader.GetString(1),
                Attempt = reader.GetInt32(2),
                Offset = reader.GetInt64(3),
                Stream = (LogStream)reader.GetInt32(4),
                Time = DbTime.FromDb(reader.GetInt64(5)),
                Data = (byte[])reader.GetValue(6),
            }));
        }
        return records;
    }
}
