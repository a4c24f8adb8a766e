using Dstack.Contracts.Artifacts;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runner;
using Dstack.Core.Jobs;
using Dstack.Server.Errors;
using Dstack.Server.Runners;
using Dstack.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Dstack.Server.Jobs;

public sealed class SqliteJobStore(SqliteDatabase db) : IJobStore
{
    private static readonly string Submitted = StatusColumn.ToDb(JobStatus.Submitted);
    private static readonly string Done = StatusColumn.ToDb(JobStatus.Done);

    public LeaseGrant? TryLease(RunnerRow runner, DateTimeOffset now)
    {
        // One write transaction: the pick and the move happen under the one write lock, so two slots never pick the
        // same job; the status guard in the UPDATE states the rule anyway, for stores without that lock.
        return db.Write(LeaseGrant? (connection, transaction) =>
        {
            // The runner asking is alive: said in the same commit as the lease (one commit a lease, not two).
            SqliteRunnerStore.MarkSeen(connection, transaction, runner.Id, now);
            var jobId = connection.Scalar(
                $"""
                SELECT j.id FROM jobs j
                WHERE j.status = '{Submitted}'
                  AND (j.image IS NULL OR @engine IS NOT NULL)
                  AND j.gpu_count <= @gpus
                  AND NOT EXISTS (SELECT 1 FROM job_dependencies d JOIN jobs dj ON dj.id = d.depends_on
                                  WHERE d.job_id = j.id AND dj.status <> '{Done}')
                ORDER BY j.run_id, j.position
                LIMIT 1
                """,
                transaction,
                ("@engine", runner.Capabilities.ContainerEngine), ("@gpus", runner.Capabilities.Gpus)) as string;
            if (jobId is null) return null;

            // Strictly increasing across the server, so a token can never be reused by a later lease of any job.
            var token = (long)connection.Scalar("UPDATE counters SET value = value + 1 WHERE name = 'fencing_token' RETURNING value", transaction)!;
            JobTransitions.Apply(connection, transaction, jobId, JobStatus.Running,
                ", runner_id = @runner, fencing_token = @token, started_at = @now, reason = NULL, stop_grace_ms = NULL", "",
                ("@runner", runner.Id), ("@token", token), ("@now", DbTime.ToDb(now)));

            LeaseGrant grant;
            using (var command = connection.Command(
                "SELECT r.name, j.workflow, j.attempt, r.owner, j.spec FROM jobs j JOIN runs r ON r.id = j.run_id WHERE j.id = @id",
                transaction, ("@id", jobId)))
            using (var reader = command.ExecuteReader())
            {
                reader.Read();
                grant = new LeaseGrant(jobId, reader.GetString(0), reader.GetString(1), token, reader.GetInt32(2), reader.GetString(3),
                    StoredJson.ToSpec(reader.GetString(4)), []);
            }
            // A resumed job gets back its own files as its last attempt (or checkpoint) stored them; a first attempt has none.
            return grant with
            {
                Spec = grant.Spec with { Restore = ReadFiles(connection, transaction, jobId) },
                Dependencies = ReadDependencyArtifacts(connection, transaction, jobId),
            };
        });
    }

    public LeaseCheck CheckLease(string jobId, long fencingToken)
    {
        using var connection = db.Open();
        return CheckLease(connection, null, jobId, fencingToken);
    }

    public void ReportProgress(string jobId, JobProgressReport report)
    {
        if (report.Status is not (JobStatus.Running or JobStatus.Uploading))
        {
            throw ApiErrorException.BadRequest(
                $"a progress report moves a job to RUNNING or UPLOADING, not {report.Status.ToDisplay()}: report DONE or FAILED as the job's outcome");
        }
        db.Write((connection, transaction) =>
        {
            var lease = CheckLease(connection, transaction, jobId, report.FencingToken);
            // A repeated report (the runner retried, or RUNNING after the lease already made it RUNNING), or one that crossed
            // a stop order on its way (the order stands, the runner gets it): nothing changes.
            if (lease.Status == report.Status || lease.Status is JobStatus.Stopping or JobStatus.Aborting) return;
            JobTransitions.Apply(connection, transaction, jobId, report.Status, "", " AND fencing_token = @token", ("@token", report.FencingToken));
        });
    }

    public bool ReportOutcome(string jobId, JobOutcome outcome, DateTimeOffset now)
    {
        if (outcome.Status is not (JobStatus.Done or JobStatus.Failed or JobStatus.Stopped or JobStatus.Aborted))
        {
            throw ApiErrorException.BadRequest(
                $"a job's outcome is DONE or FAILED (or STOPPED, ABORTED after a stop order), not {outcome.Status.ToDisplay()}");
        }
        return db.Write((connection, transaction) =>
        {
            var lease = CheckLease(connection, transaction, jobId, outcome.FencingToken);
            // The same outcome sent again (its answer was lost) is already recorded, with its artifacts.
            if (lease.Status == outcome.Status) return false;
            if (outcome.Artifacts is { } manifest) WriteArtifacts(connection, transaction, jobId, manifest);
            // The state machine takes STOPPED only from STOPPING and ABORTED only from ABORTING: a runner can't stop a job on its own.
            // A stopped or aborted job's stored artifacts are what it had uploaded by then: partial.
            var stopped = outcome.Status is JobStatus.Stopped or JobStatus.Aborted;
            JobTransitions.Apply(connection, transaction, jobId, outcome.Status,
                ", exit_code = @exit, signal = @signal, reason = @reason, finished_at = @now, stop_grace_ms = NULL"
                + (stopped ? ", artifacts_partial = 1" : ""),
                " AND fencing_token = @token",
                ("@exit", outcome.ExitCode), ("@signal", outcome.Signal), ("@reason", OutcomeReason(outcome)),
                ("@now", DbTime.ToDb(now)), ("@token", outcome.FencingToken));
            if (outcome.Status != JobStatus.Done) JobTransitions.SettleDependents(connection, transaction, [jobId], now);
            return true;
        });
    }

    public void SaveArtifacts(string jobId, ArtifactManifest manifest)
    {
        db.Write((connection, transaction) =>
        {
            var lease = CheckLease(connection, transaction, jobId, manifest.FencingToken);
            if (manifest.Checkpoint && lease.Status is not (JobStatus.Running or JobStatus.Uploading or JobStatus.Stopping))
            {
                throw ApiErrorException.Conflict(
                    $"job {jobId} is {lease.Status.ToDisplay()}: a checkpoint is taken only while the job runs (RUNNING, UPLOADING or STOPPING)");
            }
            WriteArtifacts(connection, transaction, jobId, manifest);
        });
    }

    private static void WriteArtifacts(SqliteConnection connection, SqliteTransaction transaction, string jobId, ArtifactManifest manifest)
    {
        connection.Execute("DELETE FROM job_artifact_files WHERE job_id = @id", transaction, ("@id", jobId));
        using var insert = connection.Command(
            "INSERT OR REPLACE INTO job_artifact_files (job_id, path, artifact, size, sha256, mode) VALUES (@id, @path, @artifact, @size, @sha, @mode)",
            transaction, ("@id", jobId), ("@path", ""), ("@artifact", ""), ("@size", 0L), ("@sha", ""), ("@mode", 0));
        foreach (var file in manifest.Files)
        {
            insert.Parameters["@path"].Value = file.Path;
            insert.Parameters["@artifact"].Value = file.Artifact;
            insert.Parameters["@size"].Value = file.Size;
            insert.Parameters["@sha"].Value = file.Sha256;
            insert.Parameters["@mode"].Value = file.Mode;
            insert.ExecuteNonQuery();
        }
        connection.Execute("UPDATE jobs SET artifacts_partial = @partial, artifacts_missing = @missing WHERE id = @id", transaction,
            // A checkpoint is a snapshot of a job still running: incomplete until the final manifest replaces it.
            ("@partial", manifest.Partial || manifest.Checkpoint ? 1 : 0), ("@missing", StoredJson.FromList(manifest.Missing)), ("@id", jobId));
    }

    public JobArtifacts? GetArtifacts(string jobId)
    {
        using var connection = db.Open();
        using var transaction = connection.BeginTransaction(deferred: true);
        string workflow;
        bool partial;
        IReadOnlyList<string> missing;
        using (var command = connection.Command("SELECT workflow, artifacts_partial, artifacts_missing FROM jobs WHERE id = @id", transaction, ("@id", jobId)))
        using (var reader = command.ExecuteReader())
        {
            if (!reader.Read()) return null;
            workflow = reader.GetString(0);
            partial = reader.GetInt64(1) != 0;
            missing = StoredJson.ToList(reader.GetString(2));
        }
        return new JobArtifacts
        {
            JobId = jobId,
            Workflow = workflow,
            Partial = partial,
            Missing = missing,
            Files = ReadFiles(connection, transaction, jobId),
        };
    }

    public IReadOnlyList<string> Revoked(string runnerId, IReadOnlyList<ActiveJob> jobs)
    {
        using var connection = db.Open();
        var revoked = new List<string>();
        foreach (var job in jobs)
        {
            var held = connection.Scalar(
                $"SELECT 1 FROM jobs WHERE id = @id AND runner_id = @runner AND fencing_token = @token AND status IN {StatusColumn.SqlList(StatusColumn.Leased)}",
                null, ("@id", job.JobId), ("@runner", runnerId), ("@token", job.FencingToken));
            if (held is null) revoked.Add(job.JobId);
        }
        return revoked;
    }

    public int FailJobsNotHeld(string runnerId, IReadOnlyCollection<string> heldJobIds, DateTimeOffset leasedBefore, DateTimeOffset now, string reason)
    {
        return db.Write((connection, transaction) =>
        {
            var orphans = new List<(string JobId, long RunId)>();
            using (var command = connection.Command(
                $"""
                SELECT id, run_id FROM jobs
                WHERE runner_id = @runner AND started_at < @before AND status IN {StatusColumn.SqlList(StatusColumn.Leased)}
                """,
                transaction, ("@runner", runnerId), ("@before", DbTime.ToDb(leasedBefore))))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    if (!heldJobIds.Contains(reader.GetString(0))) orphans.Add((reader.GetString(0), reader.GetInt64(1)));
                }
            }
            foreach (var (jobId, _) in orphans)
            {
                JobTransitions.Apply(connection, transaction, jobId, JobStatus.Failed, ", reason = @reason, finished_at = @now, stop_grace_ms = NULL", "",
                    ("@reason", reason), ("@now", DbTime.ToDb(now)));
                JobTransitions.SettleDependents(connection, transaction, [jobId], now);
            }
            return orphans.Count;
        });
    }

    public int FailJobsOfSilentRunners(DateTimeOffset silentSince, DateTimeOffset now, string reason)
    {
        return db.Write((connection, transaction) =>
        {
            var lost = new List<(string JobId, long RunId)>();
            using (var command = connection.Command(
                $"""
                SELECT j.id, j.run_id FROM jobs j JOIN runners r ON r.id = j.runner_id
                WHERE r.last_seen_at < @since AND j.status IN {StatusColumn.SqlList(StatusColumn.Leased)}
                """,
                transaction, ("@since", DbTime.ToDb(silentSince))))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read()) lost.Add((reader.GetString(0), reader.GetInt64(1)));
            }
            foreach (var (jobId, _) in lost)
            {
                JobTransitions.Apply(connection, transaction, jobId, JobStatus.Failed, ", reason = @reason, finished_at = @now, stop_grace_ms = NULL", "",
                    ("@reason", reason), ("@now", DbTime.ToDb(now)));
                JobTransitions.SettleDependents(connection, transaction, [jobId], now);
            }
            return lost.Count;
        });
    }

    public IReadOnlyList<JobStopOrder> StopOrders(string runnerId)
    {
        using var connection = db.Open();
        using var command = connection.Command(
            $"""
            SELECT id, fencing_token, status, stop_grace_ms FROM jobs
            WHERE runner_id = @runner AND status IN {StatusColumn.SqlList([JobStatus.Stopping, JobStatus.Aborting])}
            ORDER BY run_id, position
            """,
            null, ("@runner", runnerId));
        using var reader = command.ExecuteReader();
        var orders = new List<JobStopOrder>();
        while (reader.Read())
        {
            var abort = StatusColumn.FromDb(reader.GetString(2)) == JobStatus.Aborting;
            orders.Add(new JobStopOrder
            {
                JobId = reader.GetString(0),
                FencingToken = reader.GetInt64(1),
                Abort = abort,
                GraceMs = abort ? 0 : (int)(reader.GetNullableInt64(3) ?? 0),
            });
        }
        return orders;
    }

    private static string? OutcomeReason(JobOutcome outcome) => outcome.Status switch
    {
        JobStatus.Done => null,
        JobStatus.Stopped => outcome.Reason ?? "stopped on request",
        JobStatus.Aborted => outcome.Reason ?? "aborted on request",
        _ => outcome.Reason,
    };

    private static LeaseCheck CheckLease(SqliteConnection connection, SqliteTransaction? transaction, string jobId, long fencingToken)
    {
        using var command = connection.Command("SELECT fencing_token, run_id, attempt, status FROM jobs WHERE id = @id", transaction, ("@id", jobId));
        using var reader = command.ExecuteReader();
        if (!reader.Read()) throw ApiErrorException.NotFound($"unknown job {jobId}");
        var current = reader.GetInt64(0);
        if (current != fencingToken)
        {
            throw ApiErrorException.Conflict(
                $"stale lease on job {jobId}: fencing token {fencingToken} is not the job's current one; the job was taken back or handed to another runner, so stop it");
        }
        return new LeaseCheck(jobId, reader.GetInt64(1), reader.GetInt32(2), StatusColumn.FromDb(reader.GetString(3)));
    }

    private static List<DependencyArtifacts> ReadDependencyArtifacts(SqliteConnection connection, SqliteTransaction transaction, string jobId)
    {
        var dependencies = new List<(string Id, string Workflow)>();
        using (var command = connection.Command(
            "SELECT dj.id, dj.workflow FROM job_dependencies d JOIN jobs dj ON dj.id = d.depends_on WHERE d.job_id = @id ORDER BY dj.position",
            transaction, ("@id", jobId)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read()) dependencies.Add((reader.GetString(0), reader.GetString(1)));
        }
        return dependencies
            .Select(d => new DependencyArtifacts { JobId = d.Id, Workflow = d.Workflow, Files = ReadFiles(connection, transaction, d.Id) })
            .ToList();
    }

    private static List<ArtifactFile> ReadFiles(SqliteConnection connection, SqliteTransaction transaction, string jobId)
    {
        using var command = connection.Command(
            "SELECT artifact, path, size, sha256, mode FROM job_artifact_files WHERE job_id = @id ORDER BY path", transaction, ("@id", jobId));
        using var reader = command.ExecuteReader();
        var files = new List<ArtifactFile>();
        while (reader.Read())
        {
            files.Add(new ArtifactFile
            {
                Artifact = reader.GetString(0),
                Path = reader.GetString(1),
                Size = reader.GetInt64(2),
                Sha256 = reader.GetString(3),
                Mode = reader.GetInt32(4),
            });
        }
        return files;
    }
}
