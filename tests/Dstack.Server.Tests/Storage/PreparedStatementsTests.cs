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
    public void AFailedWriteIsRolledBack_AndTheNextOneRunsOnAFreshConnection()
    {
        var before = InsertNote("kept");

        Assert.Throws<InvalidOperationException>(() => _db.Write((c, t) =>
        {
            using (var command = c.Command(Insert, t, ("@text", "rolled back"))) command.ExecuteNonQuery();
            throw new InvalidOperationException("the work failed");
        }));
        var after = InsertNote("after");

        Assert.NotSame(before, after);
        Assert.Equal(["kept", "after"], Notes());
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
    public void AfterTheDatabaseIsDisposed_AWriteOpensTheWriterAgain()
    {
        var before = InsertNote("one");
        _db.Dispose();
        var after = InsertNote("two");

        Assert.NotSame(before, after);
        Assert.Equal(["one", "two"], Notes());
    }

    public void Dispose()
    {
        _db.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
