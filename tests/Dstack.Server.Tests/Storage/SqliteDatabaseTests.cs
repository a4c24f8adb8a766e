using Dstack.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Dstack.Server.Tests.Storage;

public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dstack-db-").FullName;

    [Fact]
    public void EveryConnection_FreshOrFromThePool_HasTheSettings()
    {
        using var db = new SqliteDatabase(Path.Combine(_folder, "state.db"));
        db.Initialize();

        for (var round = 0; round < 3; round++)
        {
            // Two at once: the second is a fresh native connection while the first is taken; both go back to the pool.
            using var first = db.Open();
            using var second = db.Open();
            foreach (var connection in new[] { first, second })
            {
                Assert.Equal(1L, connection.Scalar("PRAGMA synchronous;", null)); // NORMAL
                Assert.Equal(1L, connection.Scalar("PRAGMA foreign_keys;", null));
                Assert.Equal(10000L, connection.Scalar("PRAGMA busy_timeout;", null));
                Assert.Equal(0L, connection.Scalar("PRAGMA wal_autocheckpoint;", null)); // the WAL hook's place
                Assert.Equal("wal", connection.Scalar("PRAGMA journal_mode;", null));
            }
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
