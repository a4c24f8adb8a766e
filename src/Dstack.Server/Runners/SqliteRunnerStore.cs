using Dstack.Contracts.Runner;
using Dstack.Core.Naming;
using Dstack.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Dstack.Server.Runners;

public sealed class SqliteRunnerStore(SqliteDatabase db) : IRunnerStore
{
    private const string Columns = "id, name, owner, slots, container_engine, gpus, cpus, memory_bytes, last_seen_at";

    public RunnerRow Register(string owner, RegisterRunnerRequest request, DateTimeOffset now)
    {
        var id = db.Write((connection, transaction) =>
        {
            var caps = request.Capabilities;
            (string, object?)[] capabilities =
            [
                ("@host", request.Host), ("@slots", request.Slots), ("@engine", caps.ContainerEngine), ("@gpus", caps.Gpus),
            ("@cpus", caps.Cpus), ("@memory", caps.MemoryBytes), ("@now", DbTime.ToDb(now)),
        ];
            string runnerId;
            var known = request.RunnerId is not null
                && connection.Scalar("SELECT 1 FROM runners WHERE id = @id", transaction, ("@id", request.RunnerId)) is not null;
            if (known)
            {
                runnerId = request.RunnerId!;
                connection.Execute(
                    """
                    UPDATE runners SET host = @host, slots = @slots, container_engine = @engine, gpus = @gpus, cpus = @cpus,
                           memory_bytes = @memory, last_seen_at = @now WHERE id = @id
                    """,
                    transaction, [.. capabilities, ("@id", runnerId)]);
            }
            else
            {
                runnerId = Guid.NewGuid().ToString("N");
                var name = RunnerNameGenerator.Next(candidate =>
                    connection.Scalar("SELECT 1 FROM runners WHERE name = @n", transaction, ("@n", candidate)) is not null);
                connection.Execute(
                    """
                    INSERT INTO runners (id, name, owner, host, slots, container_engine, gpus, cpus, memory_bytes, registered_at, last_seen_at)
                    VALUES (@id, @name, @owner, @host, @slots, @engine, @gpus, @cpus, @memory, @now, @now)
                    """,
                    transaction, [.. capabilities, ("@id", runnerId), ("@name", name), ("@owner", owner)]);
            }
            return runnerId;
        });
        return Find(id)!;
    }

    public RunnerRow? Find(string runnerId) =>
        Read($"SELECT {Columns} FROM runners WHERE id = @id", ("@id", runnerId)).FirstOrDefault();

    public bool Touch(string runnerId, DateTimeOffset now)
    {
        return db.Write((connection, transaction) => MarkSeen(connection, transaction, runnerId, now));
    }

    /// <summary>The runner was heard from at <paramref name="now"/>, inside the caller's transaction; false for an unknown runner.</summary>
    internal static bool MarkSeen(SqliteConnection connection, SqliteTransaction transaction, string runnerId, DateTimeOffset now) =>
        connection.Execute("UPDATE runners SET last_seen_at = @now WHERE id = @id", transaction, ("@now", DbTime.ToDb(now)), ("@id", runnerId)) == 1;

    public IReadOnlyList<RunnerRow> HeardSince(DateTimeOffset since) =>
        Read($"SELECT {Columns} FROM runners WHERE last_seen_at >= @since", ("@since", DbTime.ToDb(since)));

    public void MarkAllSeen(DateTimeOffset now)
    {
        db.Write((connection, transaction) => connection.Execute("UPDATE runners SET last_seen_at = @now", transaction, ("@now", DbTime.ToDb(now))));
    }

    private List<RunnerRow> Read(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = db.Open();
        using var command = connection.Command(sql, null, parameters);
        using var reader = command.ExecuteReader();
        var result = new List<RunnerRow>();
        while (reader.Read())
        {
            var capabilities = new RunnerCapabilities
            {
                ContainerEngine = reader.GetNullableString(4),
                Gpus = reader.GetInt32(5),
                Cpus = reader.GetInt32(6),
                MemoryBytes = reader.GetInt64(7),
            };
            result.Add(new RunnerRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), capabilities, DbTime.FromDb(reader.GetInt64(8))));
        }
        return result;
    }
}
