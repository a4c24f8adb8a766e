using Microsoft.Data.Sqlite;

namespace Dstack.Server.Storage;

/// <summary>
/// Keeps job_attempts in step with the jobs row: the row of the job's current attempt mirrors the job (status,
/// runner, times, exit code, signal, reason); the rows of earlier attempts are never written again.
/// </summary>
public static class JobAttemptRows
{
    private const string Mirror =
        """
        INSERT OR REPLACE INTO job_attempts (job_id, attempt, status, runner_id, started_at, finished_at, exit_code, signal, reason)
        SELECT id, attempt, status, runner_id, started_at, finished_at, exit_code, signal, reason FROM jobs
        """;

    public static void MirrorJob(SqliteConnection connection, SqliteTransaction transaction, string jobId) =>
        connection.Execute($"{Mirror} WHERE id = @id", transaction, ("@id", jobId));

    public static void MirrorRun(SqliteConnection connection, SqliteTransaction transaction, long runId) =>
        connection.Execute($"{Mirror} WHERE run_id = @run", transaction, ("@run", runId));
}
