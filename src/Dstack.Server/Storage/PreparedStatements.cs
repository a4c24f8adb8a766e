using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Dstack.Server.Storage;

/// <summary>
/// The commands of one long-lived connection, kept prepared by their SQL text. Microsoft.Data.Sqlite prepares a command's
/// statements anew for every new command; on the writer connection the same few dozen statements run for every job, and
/// parsing and planning them was about a sixth of the server's CPU in a fan-out. Not thread-safe: the connection's owner
/// uses it from one thread at a time (the writer lock). A kept statement holds its last bound values until its next use
/// (bounded: at most <see cref="MaxStatements"/> statements).
/// </summary>
internal sealed class PreparedStatements : IDisposable
{
    // Far more than the server's fixed write statements. Some are built per call (an IN list as long as a job's
    // dependents): when the cache is full, the idle ones are let go and the statements in use again are prepared anew.
    private const int MaxStatements = 256;
    private static readonly ConditionalWeakTable<SqliteConnection, PreparedStatements> ByConnection = new();
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, ReusableCommand> _commands = new(StringComparer.Ordinal);

    private PreparedStatements(SqliteConnection connection) => _connection = connection;

    /// <summary>Keeps the commands of <paramref name="connection"/> prepared from now on, until disposed.</summary>
    public static PreparedStatements Attach(SqliteConnection connection)
    {
        var statements = new PreparedStatements(connection);
        ByConnection.Add(connection, statements);
        return statements;
    }

    /// <summary>A command for <paramref name="sql"/> on <paramref name="connection"/>: a kept one where the connection keeps them.</summary>
    public static SqliteCommand CommandFor(SqliteConnection connection, string sql) =>
        ByConnection.TryGetValue(connection, out var statements) ? statements.Get(sql) : Fresh(connection, sql);

    private SqliteCommand Get(string sql)
    {
        if (_commands.TryGetValue(sql, out var kept))
        {
            if (kept.InUse) return Fresh(_connection, sql);
            kept.InUse = true;
            return kept;
        }
        if (_commands.Count >= MaxStatements) ReleaseIdle();
        var command = new ReusableCommand { Connection = _connection, CommandText = sql, InUse = true };
        _commands.Add(sql, command);
        return command;
    }

    private static SqliteCommand Fresh(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private void ReleaseIdle()
    {
        foreach (var (sql, command) in _commands.Where(c => !c.Value.InUse).ToList())
        {
            command.Release();
            _commands.Remove(sql);
        }
    }

    public void Dispose()
    {
        ByConnection.Remove(_connection);
        foreach (var command in _commands.Values) command.Release();
        _commands.Clear();
    }
}
