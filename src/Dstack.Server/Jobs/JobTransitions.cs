using Dstack.Contracts.Jobs;
using Dstack.Core.Jobs;
using Dstack.Server.Errors;
using Dstack.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Dstack.Server.Jobs;

/// <summary>
/// The one way a stored job changes status: an UPDATE guarded by <see cref="JobStateMachine.AllowedFrom"/>, in the
/// caller's transaction, followed by the mirror of its attempt row.
/// </summary>
public static class JobTransitions
{
    private static readonly string Submitted = StatusColumn.ToDb(JobStatus.Submitted);

    /// <summary>Moves the job to <paramref name="to"/> or throws 409 (404 for an unknown job) without changing anything.</summary>
    public static void Apply(SqliteConnection connection, SqliteTransaction transaction, string jobId, JobStatus to,
        string extraSet, string extraWhere, params (string Name, object? Value)[] parameters)
    {
        if (TryApply(connection, transaction, jobId, to, extraSet, extraWhere, parameters)) return;
        var current = connection.Scalar("SELECT status FROM jobs WHERE id = @id", transaction, ("@id", jobId)) as string
            ?? throw ApiErrorException.NotFound($"unknown job {jobId}");
        throw ApiErrorException.Conflict($"job {jobId} is {current}: it can't become {to.ToDisplay()}");
    }

    /// <summary>Moves the job when the state machine allows it from its current status; false (nothing changed) otherwise.</summary>
    public static bool TryApply(SqliteConnection connection, SqliteTransaction transaction, string jobId, JobStatus to,
        string extraSet, string extraWhere, params (string Name, object? Value)[] parameters)
    {
        var sql = $"UPDATE jobs SET status = @to{extraSet} WHERE id = @id AND status IN {StatusColumn.SqlList(JobStateMachine.AllowedFrom(to))}{extraWhere}";
        if (connection.Execute(sql, transaction, [("@to", StatusColumn.ToDb(to)), ("@id", jobId), .. parameters]) != 1) return false;
        JobAttemptRows.MirrorJob(connection, transaction, jobId);
        return true;
    }

    /// <summary>
    /// A SUBMITTED job that waits for a job that ended without DONE can never start: it ends too, transitively, in
    /// whatever run it is (a run that awaits another run's job depends on it like on its own). A FAILED dependency fails
    /// it; else an ABORTED one aborts it; else a STOPPED one stops it (and resuming that dependency puts it back in the
    /// queue, since it never started). Returns the jobs it ended.
    /// </summary>
    public static IReadOnlyList<(string JobId, JobStatus Status)> SettleDependents(SqliteConnection connection, SqliteTransaction transaction,
        IReadOnlyCollection<string> endedJobIds, DateTimeOffset now) =>
        Settle(connection, transaction, DirectDependents(connection, transaction, endedJobIds), now);

    /// <summary>Ends those of the given SUBMITTED jobs that wait for a job that ended without DONE, then their dependents in turn.</summary>
    public static IReadOnlyList<(string JobId, JobStatus Status)> Settle(SqliteConnection connection, SqliteTransaction transaction,
        IReadOnlyCollection<string> jobIds, DateTimeOffset now)
    {
        var ended = new List<(string, JobStatus)>();
        var candidates = jobIds;
        while (candidates.Count > 0)
        {
            var (list, parameters) = InList("@c", candidates);
            var blocked = new List<(string JobId, JobStatus Dependency, string Workflow)>();
            using (var command = connection.Command(
                $"""
                SELECT j.id, dj.status, dj.workflow FROM jobs j
                JOIN job_dependencies d ON d.job_id = j.id JOIN jobs dj ON dj.id = d.depends_on
                WHERE j.id IN {list} AND j.status = '{Submitted}'
                  AND dj.status IN {StatusColumn.SqlList([JobStatus.Failed, JobStatus.Aborted, JobStatus.Stopped])}
                ORDER BY j.id, d.rowid
                """,
                transaction, parameters))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read()) blocked.Add((reader.GetString(0), StatusColumn.FromDb(reader.GetString(1)), reader.GetString(2)));
            }
            var endedNow = new List<string>();
            foreach (var job in blocked.GroupBy(b => b.JobId))
            {
                var (status, verb) = Outcome(job.Select(b => b.Dependency));
                var dependency = job.First(b => b.Dependency == status).Workflow;
                Apply(connection, transaction, job.Key, status, ", reason = @reason, finished_at = @now", "",
                    ("@reason", $"dependency {dependency} {verb}"), ("@now", DbTime.ToDb(now)));
                ended.Add((job.Key, status));
                endedNow.Add(job.Key);
            }
            candidates = DirectDependents(connection, transaction, endedNow);
        }
        return ended;
    }

    private static List<string> DirectDependents(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyCollection<string> jobIds)
    {
        if (jobIds.Count == 0) return [];
        var (list, parameters) = InList("@e", jobIds);
        using var command = connection.Command(
            $"SELECT DISTINCT d.job_id FROM job_dependencies d JOIN jobs j ON j.id = d.job_id WHERE d.depends_on IN {list} AND j.status = '{Submitted}'",
            transaction, parameters);
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read()) ids.Add(reader.GetString(0));
        return ids;
    }

    private static (string List, (string Name, object? Value)[] Parameters) InList(string prefix, IReadOnlyCollection<string> ids)
    {
        var parameters = ids.Select((id, i) => ($"{prefix}{i}", (object?)id)).ToArray();
        return ("(" + string.Join(", ", parameters.Select(p => p.Item1)) + ")", parameters);
    }

    private static (JobStatus Status, string Verb) Outcome(IEnumerable<JobStatus> dependencies)
    {
        var statuses = dependencies.ToList();
        if (statuses.Contains(JobStatus.Failed)) return (JobStatus.Failed, "failed");
        if (statuses.Contains(JobStatus.Aborted)) return (JobStatus.Aborted, "was aborted");
        return (JobStatus.Stopped, "was stopped");
    }
}
