using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Dstack.Server.Storage;

/// <summary>
/// The SQLite file (Home/state.db). Reads open a pooled connection per operation; writes take turns on one long-lived
/// connection that keeps its statements prepared (<see cref="PreparedStatements"/>). Each transaction is short: WAL lets
/// readers (status, log streams) run beside the one writer, and busy_timeout makes a second writer (another process)
/// wait inside SQLite instead of failing.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private readonly string _connectionString;
    private readonly Lock _writer = new();
    private SqliteConnection? _writerConnection;
    private PreparedStatements? _writerStatements;
    private bool _disposed;
    /// <summary>A checkpoint copies at most a few thousand pages: seconds on the slowest disk.</summary>
    private static readonly TimeSpan CheckpointStopWait = TimeSpan.FromSeconds(30);
    private readonly ConditionalWeakTable<sqlite3, object> _configured = new();
    private static readonly object Configured = new();

    public SqliteDatabase(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        Checkpoints = new WalCheckpointer(Open, _writer);
    }

    /// <summary>The background checkpoints (ADR 0013).</summary>
    public WalCheckpointer Checkpoints { get; }

    public string Path { get; }

    /// <summary>Switches the file to WAL and applies the pending migrations. Called once at start-up.</summary>
    public void Initialize()
    {
        SqliteConnection connection;
        try
        {
            connection = Open();
        }
        catch (SqliteException e)
        {
            // SQLite's own text does not say which file; the user needs the path to fix it.
            throw new IOException($"can't open the database {Path}: {e.Message}", e);
        }
        using (connection)
        {
            connection.Execute("PRAGMA journal_mode=WAL;", null);
            SchemaMigrator.Migrate(connection);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a write transaction and commits it. Writers take turns on an in-process lock
    /// first: SQLite allows one writer at a time anyway, and a writer that finds the file locked sleeps in SQLite's
    /// busy handler (milliseconds at a time), which would dominate the cost of a short transaction.
    /// </summary>
    public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> work)
    {
        Checkpoints.WaitIfCatchingUp();
        lock (_writer)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_writerConnection is null)
            {
                _writerConnection = Open();
                _writerStatements = PreparedStatements.Attach(_writerConnection);
            }
            try
            {
                using var transaction = _writerConnection.BeginTransaction(deferred: false);
                var result = work(_writerConnection, transaction);
                transaction.Commit();
                return result;
            }
            catch (SqliteException)
            {
                // Rolled back. SQLite itself failed: the next write starts on a fresh connection, trusting nothing of this
                // one's state. (A refusal of ours, such as a stale lease, only rolls back: the connection stays.)
                CloseWriter();
                throw;
            }
        }
    }

    public void Write(Action<SqliteConnection, SqliteTransaction> work) =>
        Write<bool>((connection, transaction) =>
        {
            work(connection, transaction);
            return true;
        });

    /// <summary>Closes the writer connection (and its prepared statements); a later write is refused.</summary>
    public void Dispose()
    {
        Checkpoints.Stop(CheckpointStopWait);
        lock (_writer)
        {
            _disposed = true;
            CloseWriter();
        }
    }

    private void CloseWriter()
    {
        _writerStatements?.Dispose();
        _writerConnection?.Dispose();
        (_writerStatements, _writerConnection) = (null, null);
    }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // The settings belong to the native connection, which the pool hands out again and again: set once each.
        // Three statements to prepare on every open were a fifth of the server's SQL.
        var native = connection.Handle!;
        if (!_configured.TryGetValue(native, out _))
        {
            try
            {
                // synchronous=NORMAL is durable enough under WAL (a power cut may lose the last commits, never corrupt
                // the file) and much faster than FULL on the log-append path. A log that grew in a burst is cut back to
                // 16 MiB when it is started over (it is reused from its start, never shrunk, otherwise).
                connection.Execute("PRAGMA busy_timeout=10000; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA journal_size_limit=16777216;", null);
                Checkpoints.Attach(connection);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
            _configured.AddOrUpdate(native, Configured);
        }
        return connection;
    }
}
