using Microsoft.Data.Sqlite;

namespace Dstack.Server.Tests.Support;

/// <summary>The server's state.db read (and, where a test needs a state the API can't make yet, written) with plain SQL.</summary>
public static class StateDb
{
    public static long Count(ServerHarness harness, string sql, params (string Name, object Value)[] parameters) =>
        (long)Scalar(harness, sql, parameters)!;

    public static object? Scalar(ServerHarness harness, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(harness.Home, "state.db")};Pooling=False");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA busy_timeout=10000";
            pragma.ExecuteNonQuery();
        }
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var result = command.ExecuteScalar();
        return result is DBNull ? null : result;
    }

    /// <summary>Tags the run the way `dstack tag` does.</summary>
    public static void Tag(ServerHarness harness, string runName, string tag) =>
        Scalar(harness, "UPDATE runs SET tag = @tag WHERE name = @name", ("@tag", tag), ("@name", runName));
}
