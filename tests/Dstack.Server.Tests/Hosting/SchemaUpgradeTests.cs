using Dstack.Contracts.Jobs;
using Dstack.Server.Storage;
using Dstack.Server.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Dstack.Server.Tests.Hosting;

public sealed class SchemaUpgradeTests
{
    [Fact]
    public async Task DatabaseOfTheFirstSchema_IsUpgraded_WithEveryJobsAttempt_AndItsOldSpecsStillLease()
    {
        using var home = new TempHome();
        WriteFirstSchemaDatabase(Path.Combine(home.Path, "state.db"));

        await using var harness = await ServerHarness.StartAsync(home: home.Path);
        var runner = await harness.RegisterRunnerAsync();
        var stopped = (await harness.User.FindJobAsync("0123456789ab"))!;
        var resumed = await harness.User.ResumeJobAsync("0123456789ab");
        var lease = (await harness.LeaseAsync(runner))!;

        var attempt = Assert.Single(stopped.Attempts);
        Assert.Equal((1, JobStatus.Stopped, 143, "stopped on request"), (attempt.Attempt, attempt.Status, attempt.ExitCode, attempt.Reason));
        Assert.Equal(2, resumed.Attempt);
        Assert.Equal(("0123456789ab", 2), (lease.JobId, lease.Attempt));
        Assert.Equal(60, lease.Spec.CheckpointIntervalSeconds);
        Assert.Empty(lease.Spec.Restore);
    }

    /// <summary>A state.db as a server of issue 2 left it: schema version 1 only, one run with a job stopped after it ran.</summary>
    private static void WriteFirstSchemaDatabase(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $$"""
            CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
            {{SchemaMigrations.All[0].Sql}}
            INSERT INTO schema_migrations VALUES (1, 'initial schema', '2026-11-01T00:00:00Z');
            INSERT INTO repos (owner, url, registered_at) VALUES ('local', '{{Workflows.RepoUrl}}', 0);
            INSERT INTO runs (id, name, owner, repo_url, commit_hash, workflow, variables, submitted_at)
                VALUES (1, 'old-run-1', 'local', '{{Workflows.RepoUrl}}', '0123456789abcdef0123456789abcdef01234567', 'train', '{}', 1);
            INSERT INTO jobs (id, run_id, owner, position, workflow, status, reason, exit_code, attempt, fencing_token, variables, spec,
                              submitted_at, started_at, finished_at)
                VALUES ('0123456789ab', 1, 'local', 0, 'train', 'STOPPED', 'stopped on request', 143, 1, 7, '{}',
                        '{"repoUrl":"{{Workflows.RepoUrl}}","commit":"0123456789abcdef0123456789abcdef01234567","commands":["echo"],"workingDir":".","environment":{},"artifacts":[]}',
                        1, 2, 3);
            UPDATE counters SET value = 7 WHERE name = 'fencing_token';
            """;
        command.ExecuteNonQuery();
    }
}
