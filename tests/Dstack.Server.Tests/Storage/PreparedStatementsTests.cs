using Dstack.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Dstack.Server.Tests.Storage;

/// <summary>Writes run on one connection whose commands stay prepared between transactions; reads are untouched.</summary>
public sealed class PreparedStatementsTests : IDisposable
{
    private const string Insert = "INSERT INTO notes (text) VALUES (@text)";
    private readonly string _folder = Directory.CreateTempSubdirectory("dstack-db-").FullName;
    private readonly SqliteDatabase _db;

    public PreparedStatementsTests()
    {
        _db = new SqliteDatabase(Path.Combine(_folder, "state.db"));
        _db.Initialize();
        _db.Write((c, t) => c.Execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)", t));
    }

    private SqliteCommand InsertNote(string text) =>
        _db.Write((c, t) =>
        {
            using var command = c.Command(Insert, t, ("@text", text));
            command.ExecuteNonQuery();
            return command;
        });

    private List<string> Notes()
    {
        using var connection = _db.Open();
        using var command = connection.Command("SELECT text FROM notes ORDER BY id", null);
        using var reader = command.ExecuteReader();
        var notes = new List<string>();
        while (reader.Read()) notes.Add(reader.GetString(0));
        return notes;
    }

    [Fact]
    public void TheSameStatementInLaterWrites_IsTheSameCommand_RunWithItsNewValues()
    {
        var first = InsertNote("one");
        var second = InsertNote("two");

        Assert.Same(first, second);
        Assert.Equal(["one", "two"], Notes());
    }

    [Fact]
    public void AStatementUsedAgainWhileItsReaderIsOpen_GetsACommandOfItsOwn()
    {
        InsertNote("one");
        InsertNote("two");
        var seen = _db.Write((c, t) =>
        {
            var pairs = new List<string>();
            using var outer = c.Command("SELECT text FROM notes ORDER BY id", t);
            using var reader = outer.ExecuteReader();
            while (reader.Read())
            {
                using var inner = c.Command("SELECT text FROM notes ORDER BY id", t);
                Assert.NotSame(outer, inner);
                pairs.Add($"{reader.GetString(0)}:{inner.ExecuteScalar()}");
            }
            return pairs;
        });
        Assert.Equal(["one:one", "two:one"], seen);
    }

    [Fact]
    public void AWriteRefusedByItsWorkIsRolledBack_AndTheConnectionAndItsStatementsStay()
    {
        var before = InsertNote("kept");

        Assert.Throws<InvalidOperationException>(() => _db.Write((c, t) =>
        {
            using (var command = c.Command(Insert, t, ("@text", "rolled back"))) command.ExecuteNonQuery();
            throw new InvalidOperationException("the work refused it");
        }));
        var after = InsertNote("after");

        Assert.Same(before, after);
        Assert.Equal(["kept", "after"], Notes());
    }

    [Fact]
    public void AWriteThatSqliteFails_IsRolledBack_AndTheNextOneRunsOnAFreshConnection()
    {
        var before = InsertNote("kept");

        Assert.Throws<SqliteException>(() => _db.Write((c, t) =>
        {
            using (var command = c.Command(Insert, t, ("@text", "rolled back"))) command.ExecuteNonQuery();
            c.Execute("INSERT INTO no_such_table VALUES (1)", t);
        }));
        var after = InsertNote("after");

        Assert.NotSame(before, after);
        Assert.Equal(["kept", "after"], Notes());
    }

    [Fact]
    public void WhenTheCacheIsFull_TheIdleStatementsAreLetGo_AndStatementsStillRun()
    {
        var first = InsertNote("first");
        // Statements built per call, as an IN list as long as a job's dependents is.
        for (var n = 1; n <= 300; n++)
        {
            var list = string.Join(", ", Enumerable.Range(0, n).Select(i => $"@p{i}"));
            _db.Write((c, t) =>
            {
                using var command = c.Command($"SELECT count(*) FROM notes WHERE id IN ({list})", t,
                    [.. Enumerable.Range(0, n).Select(i => ($"@p{i}", (object?)i))]);
                return command.ExecuteScalar();
            });
        }
        var again = InsertNote("again");

        Assert.NotSame(first, again); // let go once the cache was full, prepared anew
        Assert.Same(again, InsertNote("kept since"));
        Assert.Equal(["first", "again", "kept since"], Notes());
    }

    [Fact]
    public void PooledConnectionsForReading_PrepareEachCommandAfresh()
    {
        using var connection = _db.Open();
        using var first = connection.Command("SELECT count(*) FROM notes", null);
        first.ExecuteScalar();
        first.Dispose();
        using var second = connection.Command("SELECT count(*) FROM notes", null);
        Assert.NotSame(first, second);
    }

    [Fact]
    public void AfterTheDatabaseIsDisposed_AWriteIsRefused_AndReadsStillWork()
    {
        InsertNote("one");
        _db.Dispose();

        Assert.Throws<ObjectDisposedException>(() => InsertNote("two"));
        Assert.Equal(["one"], Notes());
    }

    public void Dispose()
    {
        _db.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
