using Microsoft.Data.Sqlite;

namespace Dstack.Server.Storage;

/// <summary>Applies the migrations a database has not seen yet, each in its own transaction with its schema_migrations row.</summary>
public static class SchemaMigrator
{
    public static void Migrate(SqliteConnection connection)
    {
        connection.Execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);",
            null);
        // A newer dstack migrated this file: this build does not know its tables and must not write to them.
        var newest = SchemaMigrations.All.Max(m => m.Version);
        if (connection.Scalar("SELECT MAX(version) FROM schema_migrations", null) is long found && found > newest)
        {
            throw new IOException(
                $"the database {connection.DataSource} has schema version {found}, written by a newer dstack; this one knows up to {newest}: " +
                "install the newer dstack again (./install.sh), or use another DSTACK_HOME");
        }
        foreach (var migration in SchemaMigrations.All)
        {
            // IMMEDIATE: two servers starting over the same Home serialise here, and the second sees the row.
            using var transaction = connection.BeginTransaction(deferred: false);
            var applied = connection.Scalar("SELECT 1 FROM schema_migrations WHERE version = @v", transaction, ("@v", migration.Version));
            if (applied is null)
            {
                connection.Execute(migration.Sql, transaction);
                connection.Execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)",
                    transaction,
                    ("@v", migration.Version), ("@n", migration.Name), ("@t", DateTimeOffset.UtcNow.ToString("O")));
            }
            transaction.Commit();
        }
    }
}
