using System.Text;
using Dstack.Contracts.Artifacts;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Logs;
using Dstack.Contracts.Runner;
using Dstack.Contracts.Runs;
using Dstack.Server.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Dstack.Server.Tests.Pruning;

/// <summary>
/// A real server with one test runner that plays jobs to DONE (a log line and artifact files each), and plain SQL on
/// its state.db for what run submission on this branch does not create yet (a run holding a job of an earlier run).
/// </summary>
public sealed class PruneScenario : IAsyncDisposable
{
    private PruneScenario(ServerHarness harness, RunnerRegistration runner)
    {
        Harness = harness;
        Runner = runner;
    }

    public ServerHarness Harness { get; }
    public RunnerRegistration Runner { get; }

    public static async Task<PruneScenario> StartAsync()
    {
        var harness = await ServerHarness.StartAsync();
        return new PruneScenario(harness, await harness.RegisterRunnerAsync());
    }

    /// <summary>
    /// Submits the workflow and plays each of its jobs to DONE: one log line, and one artifact file per text of
    /// <paramref name="artifacts"/> (the same texts give the same blobs). <paramref name="diff"/> becomes the run's diff blob.
    /// </summary>
    public async Task<RunInfo> FinishedRunAsync(string workflow, string repoUrl = Workflows.RepoUrl, string? diff = null, params string[] artifacts)
    {
        var run = await SubmitAsync(workflow, repoUrl, diff);
        while (true)
        {
            var now = (await Harness.User.FindRunAsync(run.RunName))!;
            if (now.Jobs.All(j => j.Status == JobStatus.Done)) return now;
            var lease = await Harness.LeaseAsync(Runner, waitMs: 5000)
                ?? throw new InvalidOperationException($"no job of {run.RunName} became ready");
            Assert.Equal(run.RunName, lease.RunName);
            await Harness.Runner.AppendLogsAsync(lease.JobId, new LogAppendRequest
            {
                FencingToken = lease.FencingToken,
                Attempt = lease.Attempt,
                Chunks = [new LogChunk { Offset = 0, Stream = LogStream.Stdout, Time = DateTimeOffset.UtcNow, Data = Encoding.UTF8.GetBytes($"ran {lease.JobId}\n") }],
            });
            var files = new List<ArtifactFile>();
            for (var i = 0; i < artifacts.Length; i++)
            {
                var blob = await Harness.Runner.UploadBlobAsync(new MemoryStream(Encoding.UTF8.GetBytes(artifacts[i])));
                files.Add(new ArtifactFile { Artifact = "out", Path = $"out/{i}", Size = blob.Size, Sha256 = blob.Sha256 });
            }
            await Harness.Runner.PutArtifactManifestAsync(lease.JobId, new ArtifactManifest { FencingToken = lease.FencingToken, Files = files });
            await Harness.FinishAsync(lease);
        }
    }

    /// <summary>A run whose only job a runner holds (RUNNING): single-job workflows only, so later leases never pick it.</summary>
    public async Task<RunInfo> RunningRunAsync(string workflow, string repoUrl = Workflows.RepoUrl)
    {
        var run = await SubmitAsync(workflow, repoUrl, diff: null);
        var lease = (await Harness.LeaseAsync(Runner, waitMs: 5000))!;
        Assert.Equal(run.RunName, lease.RunName);
        return (await Harness.User.FindRunAsync(run.RunName))!;
    }

    /// <summary>Makes <paramref name="job"/> (created by another run) a member of <paramref name="run"/>, as a cache reuse does.</summary>
    public Task ReuseAsync(RunInfo run, JobInfo job) =>
        ExecuteAsync(
            "INSERT INTO run_jobs (run_id, job_id, position, reused) VALUES ((SELECT id FROM runs WHERE name = @run), @job, 100, 1)",
            ("@run", run.RunName), ("@job", job.JobId));

    /// <summary>Makes <paramref name="job"/> depend on <paramref name="dependency"/>, as a dependency on another run's job (a tag dependency) does.</summary>
    public Task DependAsync(JobInfo job, JobInfo dependency) =>
        ExecuteAsync("INSERT INTO job_dependencies (job_id, depends_on) VALUES (@job, @dep)", ("@job", job.JobId), ("@dep", dependency.JobId));

    /// <summary>How many rows of <paramref name="table"/> belong to the jobs.</summary>
    public async Task<long> RowsOfJobsAsync(string table, IEnumerable<JobInfo> jobs)
    {
        var ids = jobs.Select(j => j.JobId).ToList();
        var parameters = ids.Select((id, i) => ($"@j{i}", (object)id)).ToArray();
        var column = table == "job_dependencies" ? "depends_on" : "job_id";
        var list = string.Join(", ", parameters.Select(p => p.Item1));
        return (long)(await ScalarAsync($"SELECT COUNT(*) FROM {table} WHERE job_id IN ({list}) OR {column} IN ({list})", parameters))!;
    }

    public string BlobPath(string sha256) => Path.Combine(Harness.Home, "blobs", sha256[..2], sha256);

    public async ValueTask DisposeAsync() => await Harness.DisposeAsync();

    private async Task<RunInfo> SubmitAsync(string workflow, string repoUrl, string? diff)
    {
        await Harness.User.InitRepoAsync(new Contracts.Repos.InitRepoRequest { RepoUrl = repoUrl });
        var request = Workflows.Run(workflow, repoUrl);
        if (diff is not null)
        {
            var blob = await Harness.User.UploadBlobAsync(new MemoryStream(Encoding.UTF8.GetBytes(diff)));
            request = request with { DiffBlob = blob.Sha256 };
        }
        return await Harness.User.SubmitRunAsync(request);
    }

    private async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, sql, parameters);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<object?> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteScalarAsync();
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(Harness.Home, "state.db")};Pooling=False");
        await connection.OpenAsync();
        await using var pragma = Command(connection, "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;");
        await pragma.ExecuteNonQueryAsync();
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }
}
