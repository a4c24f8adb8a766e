using Dstack.Server.Storage;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Storage;

public sealed class WalCheckpointerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dstack-wal-").FullName;

    [Fact]
    public async Task CommitsPastTheThreshold_AreCopiedIntoTheDatabaseFile_InTheBackground()
    {
        using var db = NewDatabase();
        var before = new FileInfo(db.Path).Length;

        // Two pages a commit: the log passes the threshold about half-way through.
        var page = new byte[6000];
        for (var i = 0; i < WalCheckpointer.ThresholdPages; i++)
        {
            Insert(db, page);
        }

        await Eventually.Until(() => db.Checkpoints.Completed >= 1, what: "a background checkpoint");
        // The rows written before the checkpoint are now in the database file itself, not only in the log.
        Assert.True(new FileInfo(db.Path).Length >= before + WalCheckpointer.ThresholdPages / 2 * 4096L,
            $"state.db is {new FileInfo(db.Path).Length} bytes");
        using var reader = db.Open();
        Assert.Equal((long)WalCheckpointer.ThresholdPages, reader.Scalar("SELECT COUNT(*) FROM filler", null));
    }

    [Fact]
    public void UnderAStreamOfWrites_TheLogIsStillStartedOver_NotLeftToGrow()
    {
        using var db = NewDatabase();
        var page = new byte[6000];
        var restarts = 0;
        var last = 0;

        // Written back to back: a passive checkpoint alone never catches up with a writer that never pauses, and SQLite
        // starts the log over only after one that copied all of it.
        for (var i = 0; i < 12 * WalCheckpointer.CatchUpPages && restarts == 0; i++)
        {
            Insert(db, page);
            if (db.Checkpoints.LogPages < last) restarts++;
            last = db.Checkpoints.LogPages;
        }

        Assert.True(restarts > 0, $"the log was never started over: {last} pages; queued {db.Checkpoints.Queued} completed {db.Checkpoints.Completed}");
    }

    [Fact]
    public void BelowTheThreshold_NothingIsCheckpointed()
    {
        using var db = NewDatabase();

        for (var i = 0; i < 10; i++)
        {
            Insert(db, new byte[100]);
        }

        Assert.Equal(0, db.Checkpoints.Queued);
        Assert.True(db.Checkpoints.Available);
    }

    [Fact]
    public void ADisposedDatabase_HasNoCheckpointUnderWay_AndStartsNoMore()
    {
        var db = NewDatabase();
        var page = new byte[6000];
        while (db.Checkpoints.Queued == 0) Insert(db, page); // bounded: the threshold is 1,000 pages, two a commit

        db.Dispose();

        // The one queued has finished (or, not yet started, was skipped) and given its connection back.
        Assert.False(db.Checkpoints.Busy);
        var queued = db.Checkpoints.Queued;
        using (var connection = db.Open())
        {
            // Another process (or a test) writing past the threshold through the same checkpointer's hook.
            for (var i = 0; i < WalCheckpointer.ThresholdPages; i++)
                connection.Execute("INSERT INTO filler (data) VALUES (@d)", null, ("@d", page));
        }
        Assert.Equal(queued, db.Checkpoints.Queued);
    }

    /// <summary>A fresh database with a table to fill.</summary>
    private SqliteDatabase NewDatabase()
    {
        var db = new SqliteDatabase(Path.Combine(_folder, $"state-{Guid.NewGuid():N}.db"));
        db.Initialize();
        db.Write((connection, transaction) => connection.Execute("CREATE TABLE filler (data BLOB NOT NULL)", transaction));
        return db;
    }

    /// <summary>One commit of one row.</summary>
    private static void Insert(SqliteDatabase db, byte[] data) =>
        db.Write((connection, transaction) => connection.Execute("INSERT INTO filler (data) VALUES (@d)", transaction, ("@d", data)));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
