using System.Globalization;
using Dstack.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Dstack.Server.Pruning;

/// <summary>
/// Sets of ids travel to SQLite as one JSON array parameter read with json_each: one statement however many runs a
/// prune removes, with no limit on the number of parameters.
/// </summary>
public sealed class SqlitePruneStore(SqliteDatabase db) : IPruneStore
{
    private const string RemovedRuns = "SELECT value FROM json_each(@removed)";
    private const string RemovedJobs = $"SELECT id FROM jobs WHERE run_id IN ({RemovedRuns})";

    public PrunePlan Plan(string owner, string repoUrl)
    {
        using var connection = db.Open();
        // One read transaction: the keep rule and the blob references see the same snapshot.
        using var transaction = connection.BeginTransaction(deferred: true);
        return Compute(connection, transaction, owner, repoUrl).Plan;
    }

    public PrunePlan Remove(string owner, string repoUrl) =>
        db.Write((connection, transaction) =>
        {
            var (plan, removed) = Compute(connection, transaction, owner, repoUrl);
            if (plan.Runs.Count == 0) return plan;
            // Children before parents: foreign_keys is on. A kept run never holds a removed job (it would use its run), so
            // the memberships removed are only the removed runs' own.
            connection.Execute(
                $"""
                DELETE FROM run_jobs WHERE run_id IN ({RemovedRuns});
                DELETE FROM job_dependencies WHERE job_id IN ({RemovedJobs});
                DELETE FROM job_attempts WHERE job_id IN ({RemovedJobs});
                DELETE FROM job_artifact_files WHERE job_id IN ({RemovedJobs});
                DELETE FROM log_records WHERE job_id IN ({RemovedJobs});
                DELETE FROM jobs WHERE run_id IN ({RemovedRuns});
                DELETE FROM runs WHERE id IN ({RemovedRuns});
                """,
                transaction, ("@removed", removed));
            return plan;
        });

    public void WithUnreferenced(IReadOnlyList<string> blobs, Action<IReadOnlyList<string>> delete)
    {
        if (blobs.Count == 0) return;
        db.Write((connection, transaction) =>
        {
            using var command = connection.Command(
                """
                SELECT value FROM json_each(@blobs)
                WHERE value NOT IN (SELECT sha256 FROM job_artifact_files)
                  AND value NOT IN (SELECT diff_blob FROM runs WHERE diff_blob IS NOT NULL)
                  AND value NOT IN (SELECT untracked_blob FROM runs WHERE untracked_blob IS NOT NULL)
                ORDER BY value
                """,
                transaction, ("@blobs", StoredJson.FromList(blobs)));
            delete(ReadStrings(command));
        });
    }

    private static (PrunePlan Plan, string Removed) Compute(SqliteConnection connection, SqliteTransaction transaction, string owner, string repoUrl)
    {
        var scope = ReadScope(connection, transaction, owner, repoUrl);
        var kept = Kept(scope, ReadUses(connection, transaction, owner, repoUrl));
        var removedRuns = scope.Where(r => !kept.Contains(r.Id)).ToList();
        var removed = "[" + string.Join(",", removedRuns.Select(r => r.Id.ToString(CultureInfo.InvariantCulture))) + "]";
        if (removedRuns.Count == 0) return (new PrunePlan([], 0, []), removed);

        var jobs = Convert.ToInt32(connection.Scalar($"SELECT COUNT(*) FROM ({RemovedJobs})", transaction, ("@removed", removed)),
            CultureInfo.InvariantCulture);
        // The subqueries of NOT IN are not correlated: SQLite builds each list once, instead of scanning
        // job_artifact_files (which has no index on sha256) once per candidate blob.
        using var blobs = connection.Command(
            $"""
            WITH referenced (sha) AS (
                SELECT sha256 FROM job_artifact_files WHERE job_id IN ({RemovedJobs})
                UNION SELECT diff_blob FROM runs WHERE id IN ({RemovedRuns}) AND diff_blob IS NOT NULL
                UNION SELECT untracked_blob FROM runs WHERE id IN ({RemovedRuns}) AND untracked_blob IS NOT NULL)
            SELECT sha FROM referenced
            WHERE sha NOT IN (SELECT sha256 FROM job_artifact_files WHERE job_id NOT IN ({RemovedJobs}))
              AND sha NOT IN (SELECT diff_blob FROM runs WHERE diff_blob IS NOT NULL AND id NOT IN ({RemovedRuns}))
              AND sha NOT IN (SELECT untracked_blob FROM runs WHERE untracked_blob IS NOT NULL AND id NOT IN ({RemovedRuns}))
            ORDER BY sha
            """,
            transaction, ("@removed", removed));
        return (new PrunePlan(removedRuns.Select(r => r.Name).ToList(), jobs, ReadStrings(blobs)), removed);
    }

    /// <summary>The runs a kept run needs, starting from the tagged and unfinished ones and from runs outside the scope (never removed here).</summary>
    private static HashSet<long> Kept(IReadOnlyList<ScopeRun> scope, IReadOnlyList<(long User, long Used)> uses)
    {
        var inScope = scope.Select(r => r.Id).ToHashSet();
        var usedBy = uses.ToLookup(u => u.User, u => u.Used);
        var kept = new HashSet<long>();
        var pending = new Stack<long>();
        void Keep(long run)
        {
            if (kept.Add(run)) pending.Push(run);
        }
        foreach (var run in scope.Where(r => r.Tagged || r.Unfinished)) Keep(run.Id);
        foreach (var user in uses.Select(u => u.User).Where(u => !inScope.Contains(u)).Distinct()) Keep(user);
        while (pending.TryPop(out var run))
        {
            foreach (var used in usedBy[run]) Keep(used);
        }
        return kept;
    }

    private static List<ScopeRun> ReadScope(SqliteConnection connection, SqliteTransaction transaction, string owner, string repoUrl)
    {
        using var command = connection.Command(
            $"""
            SELECT r.id, r.name, r.tag IS NOT NULL,
                   EXISTS (SELECT 1 FROM run_jobs rj JOIN jobs j ON j.id = rj.job_id
                           WHERE rj.run_id = r.id AND j.status IN {StatusColumn.SqlList(StatusColumn.Unfinished)})
            FROM runs r WHERE r.owner = @o AND r.repo_url = @u
            ORDER BY r.id
            """,
            transaction, ("@o", owner), ("@u", repoUrl));
        using var reader = command.ExecuteReader();
        var runs = new List<ScopeRun>();
        while (reader.Read()) runs.Add(new ScopeRun(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2) != 0, reader.GetInt64(3) != 0));
        return runs;
    }

    /// <summary>
    /// Every (R, P) where R uses P and P is in the scope: a member job of R was created by P, or a member job of R depends
    /// on a job P created. R may be any run of the database, so a run outside the scope keeps what it uses too.
    /// </summary>
    private static List<(long User, long Used)> ReadUses(SqliteConnection connection, SqliteTransaction transaction, string owner, string repoUrl)
    {
        using var command = connection.Command(
            """
            SELECT rj.run_id, j.run_id FROM run_jobs rj JOIN jobs j ON j.id = rj.job_id
            WHERE j.run_id IN (SELECT id FROM runs WHERE owner = @o AND repo_url = @u) AND rj.run_id <> j.run_id
            UNION
            SELECT rj.run_id, dj.run_id FROM run_jobs rj
            JOIN job_dependencies d ON d.job_id = rj.job_id JOIN jobs dj ON dj.id = d.depends_on
            WHERE dj.run_id IN (SELECT id FROM runs WHERE owner = @o AND repo_url = @u) AND rj.run_id <> dj.run_id
            """,
            transaction, ("@o", owner), ("@u", repoUrl));
        using var reader = command.ExecuteReader();
        var uses = new List<(long, long)>();
        while (reader.Read()) uses.Add((reader.GetInt64(0), reader.GetInt64(1)));
        return uses;
    }

    private static List<string> ReadStrings(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read()) values.Add(reader.GetString(0));
        return values;
    }
}
