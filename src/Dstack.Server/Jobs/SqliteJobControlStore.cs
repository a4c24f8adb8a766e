using Dstack.Contracts.Jobs;
using Dstack.Server.Errors;
using Dstack.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Dstack.Server.Jobs;

public sealed class SqliteJobControlStore(SqliteDatabase db) : IJobControlStore
{
    public const string StoppedBeforeStart = "stopped before it started";
    public const string AbortedBeforeStart = "aborted before it started";

    private static readonly string Stopped = StatusColumn.ToDb(JobStatus.Stopped);

    public IReadOnlyList<StopChange> Stop(IReadOnlyList<string> jobIds, bool abort, int graceMs, DateTimeOffset now)
    {
        return db.Write((connection, transaction) =>
        {
            var changes = new List<StopChange>();
            var settle = new List<string>();
            foreach (var jobId in jobIds)
            {
                using var command = connection.Command("SELECT status, runner_id FROM jobs WHERE id = @id", transaction, ("@id", jobId));
                using var reader = command.ExecuteReader();
                if (!reader.Read()) throw ApiErrorException.NotFound($"unknown job {jobId}");
                var status = StatusColumn.FromDb(reader.GetString(0));
                var runner = reader.GetNullableString(1);
                reader.Close();

                // Every move is guarded by the state machine: a job that moved on meanwhile is simply not changed.
                switch (status)
                {
                    case JobStatus.Submitted:
                        var ended = abort ? JobStatus.Aborted : JobStatus.Stopped;
                        if (JobTransitions.TryApply(connection, transaction, jobId, ended, ", reason = @reason, finished_at = @now", "",
                                ("@reason", abort ? AbortedBeforeStart : StoppedBeforeStart), ("@now", DbTime.ToDb(now))))
                        {
                            changes.Add(new StopChange(jobId, ended, null));
                            settle.Add(jobId);
                        }
                        break;
                    case JobStatus.Running or JobStatus.Uploading:
                        var stopping = abort ? JobStatus.Aborting : JobStatus.Stopping;
                        if (JobTransitions.TryApply(connection, transaction, jobId, stopping, ", stop_grace_ms = @grace", "", ("@grace", graceMs)))
                        {
                            changes.Add(new StopChange(jobId, stopping, runner));
                        }
                        break;
                    case JobStatus.Stopping when abort:
                        // An abort overrides a graceful stop under way.
                        if (JobTransitions.TryApply(connection, transaction, jobId, JobStatus.Aborting, "", ""))
                        {
                            changes.Add(new StopChange(jobId, JobStatus.Aborting, runner));
                        }
                        break;
                }
            }
            // The jobs waiting for those that ended at once end with them, in this run or in a run that awaits them.
            foreach (var (jobId, status) in JobTransitions.SettleDependents(connection, transaction, settle, now))
            {
                if (changes.All(c => c.JobId != jobId)) changes.Add(new StopChange(jobId, status, null));
            }
            return changes;
        });
    }

    public void Resume(string jobId, DateTimeOffset now)
    {
        db.Write((connection, transaction) =>
        {
            var status = connection.Scalar("SELECT status FROM jobs WHERE id = @id", transaction, ("@id", jobId)) as string
                ?? throw ApiErrorException.NotFound($"unknown job {jobId}");
            if (StatusColumn.FromDb(status) != JobStatus.Stopped)
            {
                throw ApiErrorException.Conflict($"job {jobId} is {status}: only a STOPPED job can be resumed");
            }
            RefuseWhenADependencyEnded(connection, transaction, jobId);

            // A new attempt when the last one ran; a job stopped before it started keeps its attempt (it never had one).
            // The new fencing token makes any late report of the attempt that was stopped stale.
            var token = (long)connection.Scalar("UPDATE counters SET value = value + 1 WHERE name = 'fencing_token' RETURNING value", transaction)!;
            JobTransitions.Apply(connection, transaction, jobId, JobStatus.Submitted,
                """
                , attempt = attempt + (started_at IS NOT NULL), fencing_token = @token, runner_id = NULL,
                  started_at = NULL, finished_at = NULL, exit_code = NULL, signal = NULL, reason = NULL, stop_grace_ms = NULL
                """,
                "", ("@token", token));

            // Its dependents in any run (a run that awaits it included) that were stopped before they started.
            var requeued = NeverStartedStoppedDependents(connection, transaction, jobId);
            foreach (var dependent in requeued)
            {
                JobTransitions.Apply(connection, transaction, dependent, JobStatus.Submitted,
                    ", finished_at = NULL, exit_code = NULL, signal = NULL, reason = NULL", "");
            }
            // A re-queued job that also waits for another stopped job stops again, naming that one.
            JobTransitions.Settle(connection, transaction, requeued, now);
        });
    }

    /// <summary>A job waiting for a job that ended without DONE would wait for ever: say which and what to do instead.</summary>
    private static void RefuseWhenADependencyEnded(SqliteConnection connection, SqliteTransaction transaction, string jobId)
    {
        using var command = connection.Command(
            $"""
            SELECT dj.id, dj.workflow, dj.status FROM job_dependencies d JOIN jobs dj ON dj.id = d.depends_on
            WHERE d.job_id = @id AND dj.status IN {StatusColumn.SqlList([JobStatus.Failed, JobStatus.Aborted, JobStatus.Stopped])}
            ORDER BY dj.position LIMIT 1
            """,
            transaction, ("@id", jobId));
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return;
        var (id, workflow, status) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
        throw ApiErrorException.Conflict(status == Stopped
            ? $"job {jobId} depends on {workflow} ({id}), which is {status}: resume {id} instead; the jobs waiting for it follow"
            : $"job {jobId} depends on {workflow} ({id}), which is {status} and can't run again: submit the run again");
    }

    /// <summary>The jobs depending on the job, transitively, that are STOPPED and never started in any attempt.</summary>
    private static List<string> NeverStartedStoppedDependents(SqliteConnection connection, SqliteTransaction transaction, string jobId)
    {
        using var command = connection.Command(
            $"""
            WITH RECURSIVE dependents (id) AS (
                SELECT job_id FROM job_dependencies WHERE depends_on = @id
                UNION
                SELECT d.job_id FROM job_dependencies d JOIN dependents ON d.depends_on = dependents.id
            )
            SELECT j.id FROM jobs j JOIN dependents ON dependents.id = j.id
            WHERE j.status = '{Stopped}'
              AND NOT EXISTS (SELECT 1 FROM job_attempts a WHERE a.job_id = j.id AND a.started_at IS NOT NULL)
            ORDER BY j.position
            """,
            transaction, ("@id", jobId));
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read()) ids.Add(reader.GetString(0));
        return ids;
    }
}
