using Dstack.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Dstack.Server.Caching;

/// <summary>
/// The cache lookups on the caller's connection and transaction (indexes jobs_by_cache_key and jobs_by_workflow). The two
/// asked once per job of a run are prepared once per lookup (on the writer connection, once per connection:
/// <see cref="PreparedStatements"/>) and run again with new values: a run of 500 jobs would otherwise parse the same SQL
/// a thousand times. Dispose it with its transaction.
/// </summary>
public sealed class SqliteCacheLookup(SqliteConnection connection, SqliteTransaction transaction, string owner) : ICacheLookup, IDisposable
{
    private const string Columns = "j.id, r.name, j.workflow, j.status, j.cache_key, j.cache_parts, j.artifacts_partial";

    /// <summary>
    /// <see cref="Columns"/> without the key's document (NULL in its place): only the dry run's comparison reads it, and
    /// every earlier job with a key has one of a kilobyte or more, read for each job of a run otherwise.
    /// </summary>
    private const string ColumnsWithoutDocument = "j.id, r.name, j.workflow, j.status, j.cache_key, NULL, j.artifacts_partial";

    private SqliteCommand? _jobsWithKey;
    private SqliteCommand? _artifactBlobs;

    public IReadOnlyList<CachedJob> JobsWithKey(string cacheKey)
    {
        _jobsWithKey ??= Prepared(
            $"""
            SELECT {ColumnsWithoutDocument} FROM jobs j JOIN runs r ON r.id = j.run_id
            WHERE j.cache_key = @key AND j.owner = @owner
            ORDER BY j.submitted_at DESC, j.rowid DESC
            """,
            ("@key", ""), ("@owner", owner));
        _jobsWithKey.Parameters["@key"].Value = cacheKey;
        return ReadJobs(_jobsWithKey);
    }

    public IReadOnlyList<string> ArtifactBlobs(string jobId)
    {
        _artifactBlobs ??= Prepared("SELECT DISTINCT sha256 FROM job_artifact_files WHERE job_id = @id", ("@id", ""));
        _artifactBlobs.Parameters["@id"].Value = jobId;
        using var reader = _artifactBlobs.ExecuteReader();
        var blobs = new List<string>();
        while (reader.Read()) blobs.Add(reader.GetString(0));
        return blobs;
    }

    public TaggedRun? FindTaggedRun(string repoUrl, string tag)
    {
        long runId;
        string runName;
        using (var command = connection.Command(
            "SELECT id, name FROM runs WHERE owner = @owner AND repo_url = @repo AND tag = @tag", transaction,
            ("@owner", owner), ("@repo", repoUrl), ("@tag", tag)))
        using (var reader = command.ExecuteReader())
        {
            if (!reader.Read()) return null;
            (runId, runName) = (reader.GetInt64(0), reader.GetString(1));
        }
        var members = Read(
            $"""
            SELECT {Columns} FROM run_jobs m JOIN jobs j ON j.id = m.job_id JOIN runs r ON r.id = j.run_id
            WHERE m.run_id = @run ORDER BY m.position
            """,
            ("@run", runId));
        return new TaggedRun(runName, members);
    }

    public IReadOnlyList<CachedJob> RecentWithKey(string repoUrl, string workflow, int count) =>
        Read(
            $"""
            SELECT {Columns} FROM jobs j JOIN runs r ON r.id = j.run_id
            WHERE j.owner = @owner AND j.workflow = @workflow AND r.repo_url = @repo AND j.cache_parts IS NOT NULL
            ORDER BY j.submitted_at DESC, j.rowid DESC LIMIT @count
            """,
            ("@owner", owner), ("@workflow", workflow), ("@repo", repoUrl), ("@count", count));

    private SqliteCommand Prepared(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.Command(sql, transaction, parameters);
        command.Prepare();
        return command;
    }

    private List<CachedJob> Read(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.Command(sql, transaction, parameters);
        return ReadJobs(command);
    }

    private static List<CachedJob> ReadJobs(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var jobs = new List<CachedJob>();
        while (reader.Read())
        {
            jobs.Add(new CachedJob
            {
                JobId = reader.GetString(0),
                RunName = reader.GetString(1),
                Workflow = reader.GetString(2),
                Status = StatusColumn.FromDb(reader.GetString(3)),
                CacheKey = reader.GetNullableString(4),
                CacheParts = reader.GetNullableString(5),
                ArtifactsPartial = reader.GetInt64(6) != 0,
            });
        }
        return jobs;
    }

    public void Dispose()
    {
        _jobsWithKey?.Dispose();
        _artifactBlobs?.Dispose();
    }
}
