using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runs;
using Dstack.Core.Naming;
using Dstack.Server.Caching;
using Dstack.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Dstack.Server.Runs;

public sealed class SqliteRunStore(SqliteDatabase db) : IRunStore
{
    private const string RunColumns =
        "id, name, owner, repo_url, branch, commit_hash, workflow, variables, tag, submitted_at";

    private const string RunByName = $"SELECT {RunColumns} FROM runs WHERE owner = @o AND name = @n";

    public RunRow Insert(string owner, SubmitRunRequest request, Func<string, ICacheLookup, IReadOnlyList<RunMember>> planMembers, DateTimeOffset now)
    {
        var name = db.Write((connection, transaction) =>
        {
            var runName = RunNameGenerator.Next(candidate =>
                connection.Scalar("SELECT 1 FROM runs WHERE name = @n", transaction, ("@n", candidate)) is not null);
            IReadOnlyList<RunMember> members;
            using (var lookup = new SqliteCacheLookup(connection, transaction, owner)) members = planMembers(runName, lookup);
            var runId = (long)connection.Scalar(
                """
                INSERT INTO runs (name, owner, repo_url, branch, commit_hash, diff_blob, untracked_blob, workflow, variables, submitted_at)
                VALUES (@name, @owner, @repo, @branch, @commit, @diff, @untracked, @workflow, @variables, @now)
                RETURNING id
                """,
                transaction,
                ("@name", runName), ("@owner", owner), ("@repo", request.RepoUrl), ("@branch", request.Branch), ("@commit", request.Commit),
                ("@diff", request.DiffBlob), ("@untracked", request.UntrackedBlob), ("@workflow", request.Workflow),
                ("@variables", StoredJson.FromMap(request.Variables)), ("@now", DbTime.ToDb(now)))!;

            using var insertJob = connection.Command(
                """
                INSERT INTO jobs (id, run_id, owner, position, workflow, status, variables, image, gpu_count, spec, submitted_at, cache_key, cache_parts)
                VALUES (@id, @run, @owner, @position, @workflow, @status, @variables, @image, @gpus, @spec, @now, @key, @parts)
                """,
                transaction,
                ("@id", ""), ("@run", runId), ("@owner", owner), ("@position", 0), ("@workflow", ""), ("@status", StatusColumn.ToDb(JobStatus.Submitted)),
                ("@variables", ""), ("@image", null), ("@gpus", 0), ("@spec", ""), ("@now", DbTime.ToDb(now)), ("@key", ""), ("@parts", ""));
            using var insertMember = connection.Command(
                "INSERT INTO run_jobs (run_id, job_id, position, reused) VALUES (@run, @job, @position, @reused)",
                transaction, ("@run", runId), ("@job", ""), ("@position", 0), ("@reused", 0));
            using var insertEdge = connection.Command(
                "INSERT INTO job_dependencies (job_id, depends_on) VALUES (@job, @dep)", transaction, ("@job", ""), ("@dep", ""));
            for (var position = 0; position < members.Count; position++)
            {
                var member = members[position];
                if (member.New is { } job)
                {
                    insertJob.Parameters["@id"].Value = job.Id;
                    insertJob.Parameters["@position"].Value = position;
                    insertJob.Parameters["@workflow"].Value = job.Workflow;
                    insertJob.Parameters["@variables"].Value = StoredJson.FromMap(job.Variables);
                    insertJob.Parameters["@image"].Value = (object?)job.Image ?? DBNull.Value;
                    insertJob.Parameters["@gpus"].Value = job.GpuCount;
                    insertJob.Parameters["@spec"].Value = StoredJson.FromSpec(job.Spec);
                    insertJob.Parameters["@key"].Value = job.CacheKey;
                    insertJob.Parameters["@parts"].Value = job.CacheParts;
                    insertJob.ExecuteNonQuery();
                    // Inserted in plan order, so the edges' rowids keep each job's dependencies in that order.
                    foreach (var dependency in job.DependsOn)
                    {
                        insertEdge.Parameters["@job"].Value = job.Id;
                        insertEdge.Parameters["@dep"].Value = dependency;
                        insertEdge.ExecuteNonQuery();
                    }
                }
                insertMember.Parameters["@job"].Value = member.JobId;
                insertMember.Parameters["@position"].Value = position;
                insertMember.Parameters["@reused"].Value = member.Reused ? 1 : 0;
                insertMember.ExecuteNonQuery();
            }
            JobAttemptRows.MirrorRun(connection, transaction, runId);
            return runName;
        });
        return FindRun(owner, name)!;
    }

    public T ReadCache<T>(string owner, Func<ICacheLookup, T> read)
    {
        using var connection = db.Open();
        using var transaction = connection.BeginTransaction(deferred: true);
        using var lookup = new SqliteCacheLookup(connection, transaction, owner);
        return read(lookup);
    }

    public RunRow? FindRun(string owner, string runName) =>
        ReadRuns(RunByName, ("@o", owner), ("@n", runName)).FirstOrDefault();

    public (RunRow Run, IReadOnlySet<JobStatus> Statuses)? FindRunJobsNotDone(string owner, string runName)
    {
        using var connection = db.Open();
        using var transaction = connection.BeginTransaction(deferred: true);
        if (ReadRuns(connection, transaction, RunByName, [("@o", owner), ("@n", runName)], notDoneOnly: true).FirstOrDefault() is not { } run)
        {
            return null;
        }
        var statuses = new HashSet<JobStatus>();
        using var command = connection.Command(
            "SELECT DISTINCT j.status FROM run_jobs m JOIN jobs j ON j.id = m.job_id WHERE m.run_id = @r", transaction, ("@r", run.Id));
        using var reader = command.ExecuteReader();
        while (reader.Read()) statuses.Add(StatusColumn.FromDb(reader.GetString(0)));
        return (run, statuses);
    }

    public RunMembers? FindRunMembers(string owner, string runName)
    {
        using var connection = db.Open();
        using var command = connection.Command(
            """
            SELECT r.id, m.job_id, m.reused FROM runs r LEFT JOIN run_jobs m ON m.run_id = r.id
            WHERE r.owner = @o AND r.name = @n ORDER BY m.position
            """,
            null, ("@o", owner), ("@n", runName));
        using var reader = command.ExecuteReader();
        long? runId = null;
        var jobs = new List<string>();
        var anyReused = false;
        while (reader.Read())
        {
            runId = reader.GetInt64(0);
            if (reader.IsDBNull(1)) continue;
            jobs.Add(reader.GetString(1));
            anyReused |= reader.GetInt64(2) != 0;
        }
        return runId is { } id ? new RunMembers(id, jobs, anyReused) : null;
    }

    public RunRow? FindRunOfJob(string owner, string jobId) =>
        ReadRuns($"SELECT {RunColumns} FROM runs WHERE owner = @o AND id = (SELECT run_id FROM jobs WHERE id = @j)", ("@o", owner), ("@j", jobId))
            .FirstOrDefault();

    public bool IsRunFinished(long runId) =>
        !Exists(
            $"""
            SELECT 1 FROM run_jobs m JOIN jobs j ON j.id = m.job_id
            WHERE m.run_id = @r AND j.status IN {StatusColumn.SqlList(StatusColumn.Unfinished)} LIMIT 1
            """,
            ("@r", runId));

    public bool IsJobFinished(string jobId) =>
        !Exists($"SELECT 1 FROM jobs WHERE id = @j AND status IN {StatusColumn.SqlList(StatusColumn.Unfinished)}", ("@j", jobId));

    private bool Exists(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = db.Open();
        using var command = connection.Command(sql, null, parameters);
        using var reader = command.ExecuteReader();
        return reader.Read();
    }

    public IReadOnlyList<RunRow> ListUnfinished(string owner, string repoUrl) =>
        ReadRuns(
            $"""
            SELECT {RunColumns} FROM runs r WHERE owner = @o AND repo_url = @u
            AND EXISTS (SELECT 1 FROM run_jobs m JOIN jobs j ON j.id = m.job_id
                        WHERE m.run_id = r.id AND j.status IN {StatusColumn.SqlList(StatusColumn.Unfinished)})
            ORDER BY id
            """,
            ("@o", owner), ("@u", repoUrl));

    public IReadOnlyList<RunRow> ListLatest(string owner, string repoUrl, int count) =>
        ReadRuns(
            $"SELECT * FROM (SELECT {RunColumns} FROM runs WHERE owner = @o AND repo_url = @u ORDER BY id DESC LIMIT @n) ORDER BY id",
            ("@o", owner), ("@u", repoUrl), ("@n", count));

    private List<RunRow> ReadRuns(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = db.Open();
        // One read transaction: the runs and their jobs come from the same snapshot.
        using var transaction = connection.BeginTransaction(deferred: true);
        return ReadRuns(connection, transaction, sql, parameters, notDoneOnly: false);
    }

    private static List<RunRow> ReadRuns(SqliteConnection connection, SqliteTransaction transaction, string sql,
        (string Name, object? Value)[] parameters, bool notDoneOnly)
    {
        var runs = new List<RunRow>();
        using (var command = connection.Command(sql, transaction, parameters))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                runs.Add(new RunRow
                {
                    Id = reader.GetInt64(0),
                    Name = reader.GetString(1),
                    Owner = reader.GetString(2),
                    RepoUrl = reader.GetString(3),
                    Branch = reader.GetNullableString(4),
                    Commit = reader.GetString(5),
                    Workflow = reader.GetString(6),
                    Variables = StoredJson.ToMap(reader.GetString(7)),
                    Tag = reader.GetNullableString(8),
                    SubmittedAt = DbTime.FromDb(reader.GetInt64(9)),
                    Jobs = [],
                });
            }
        }
        if (runs.Count == 0) return runs;
        var members = ReadMembers(connection, transaction, runs.Select(r => r.Id).ToList(), notDoneOnly);
        return runs.Select(r => r with { Jobs = members.Where(m => m.RunId == r.Id).Select(m => m.Job).ToList() }).ToList();
    }

    /// <summary>
    /// The runs' members in position order, each with the run listing it: a reused job is listed by every run that took it.
    /// With <paramref name="notDoneOnly"/>, only the members that are not DONE.
    /// </summary>
    private static List<(long RunId, JobRow Job)> ReadMembers(SqliteConnection connection, SqliteTransaction transaction, List<long> runIds,
        bool notDoneOnly)
    {
        var parameters = runIds.Select((id, i) => ($"@r{i}", (object?)id)).ToArray();
        var runList = string.Join(", ", parameters.Select(p => p.Item1));
        var notDone = notDoneOnly ? $" AND j.status != '{StatusColumn.ToDb(JobStatus.Done)}'" : "";
        var members = notDoneOnly
            ? $"SELECT m.job_id FROM run_jobs m JOIN jobs j ON j.id = m.job_id WHERE m.run_id IN ({runList}){notDone}"
            : $"SELECT job_id FROM run_jobs WHERE run_id IN ({runList})";
        var dependencies = ReadDependencies(connection, transaction, members, parameters);
        var attempts = ReadAttempts(connection, transaction, members, parameters);
        var sql = $"""
            SELECT j.id, j.run_id, r.name, j.workflow, j.status, j.reason, j.exit_code, j.signal, j.attempt, rn.name,
                   j.submitted_at, j.started_at, j.finished_at, j.variables, j.image, j.gpu_count, j.artifacts_partial,
                   m.run_id, m.reused, j.cache_key
            FROM run_jobs m JOIN jobs j ON j.id = m.job_id JOIN runs r ON r.id = j.run_id LEFT JOIN runners rn ON rn.id = j.runner_id
            WHERE m.run_id IN ({runList}){notDone}
            ORDER BY m.run_id, m.position
            """;
        using var command = connection.Command(sql, transaction, parameters);
        using var reader = command.ExecuteReader();
        var jobs = new List<(long, JobRow)>();
        while (reader.Read())
        {
            var id = reader.GetString(0);
            var edges = dependencies.TryGetValue(id, out var found) ? found : [];
            jobs.Add((reader.GetInt64(17), new JobRow
            {
                Id = id,
                RunId = reader.GetInt64(1),
                RunName = reader.GetString(2),
                Workflow = reader.GetString(3),
                Status = StatusColumn.FromDb(reader.GetString(4)),
                Reason = reader.GetNullableString(5),
                ExitCode = (int?)reader.GetNullableInt64(6),
                Signal = reader.GetNullableString(7),
                Attempt = reader.GetInt32(8),
                RunnerName = reader.GetNullableString(9),
                SubmittedAt = DbTime.FromDb(reader.GetInt64(10)),
                StartedAt = DbTime.FromDb(reader.GetNullableInt64(11)),
                FinishedAt = DbTime.FromDb(reader.GetNullableInt64(12)),
                Variables = StoredJson.ToMap(reader.GetString(13)),
                Image = reader.GetNullableString(14),
                GpuCount = reader.GetInt32(15),
                ArtifactsPartial = reader.GetInt64(16) != 0,
                Reused = reader.GetInt64(18) != 0,
                CacheKey = reader.GetNullableString(19),
                DependsOn = edges.Select(e => e.JobId).ToList(),
                PendingDependencies = edges.Where(e => e.Status != JobStatus.Done).Select(e => e.Workflow).ToList(),
                Attempts = attempts.TryGetValue(id, out var tries) ? tries : [],
            }));
        }
        return jobs;
    }

    /// <summary>The attempts of the runs' jobs in one query: job id to its attempts, oldest first.</summary>
    private static Dictionary<string, List<JobAttempt>> ReadAttempts(SqliteConnection connection, SqliteTransaction transaction,
        string members, (string, object?)[] parameters)
    {
        using var command = connection.Command(
            $"""
            SELECT a.job_id, a.attempt, a.status, rn.name, a.started_at, a.finished_at, a.exit_code, a.signal, a.reason
            FROM job_attempts a LEFT JOIN runners rn ON rn.id = a.runner_id
            WHERE a.job_id IN ({members})
            ORDER BY a.job_id, a.attempt
            """,
            transaction, parameters);
        using var reader = command.ExecuteReader();
        var result = new Dictionary<string, List<JobAttempt>>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var jobId = reader.GetString(0);
            if (!result.TryGetValue(jobId, out var list)) result[jobId] = list = [];
            list.Add(new JobAttempt
            {
                Attempt = reader.GetInt32(1),
                Status = StatusColumn.FromDb(reader.GetString(2)),
                Runner = reader.GetNullableString(3),
                StartedAt = DbTime.FromDb(reader.GetNullableInt64(4)),
                FinishedAt = DbTime.FromDb(reader.GetNullableInt64(5)),
                ExitCode = (int?)reader.GetNullableInt64(6),
                Signal = reader.GetNullableString(7),
                Reason = reader.GetNullableString(8),
            });
        }
        return result;
    }

    /// <summary>
    /// The dependency edges of the members in one query: job id to the jobs it waits for (in any run: an awaited job, a
    /// tagged run's job), in plan order, which is the order the edges were inserted in.
    /// </summary>
    private static Dictionary<string, List<(string JobId, string Workflow, JobStatus Status)>> ReadDependencies(
        SqliteConnection connection, SqliteTransaction transaction, string members, (string, object?)[] parameters)
    {
        using var command = connection.Command(
            $"""
            SELECT d.job_id, d.depends_on, dj.workflow, dj.status FROM job_dependencies d JOIN jobs dj ON dj.id = d.depends_on
            WHERE d.job_id IN ({members})
            ORDER BY d.job_id, d.rowid
            """,
            transaction, parameters);
        using var reader = command.ExecuteReader();
        var result = new Dictionary<string, List<(string, string, JobStatus)>>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var jobId = reader.GetString(0);
            if (!result.TryGetValue(jobId, out var list)) result[jobId] = list = [];
            list.Add((reader.GetString(1), reader.GetString(2), StatusColumn.FromDb(reader.GetString(3))));
        }
        return result;
    }
}
