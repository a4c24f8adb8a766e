using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runs;
using Dstack.Cli.Terminal;

namespace Dstack.Cli.Status;

/// <summary>
/// The `status` table: a row per run, then a row per job of the run beneath it (the requested workflow's job too).
/// The run row shows the runner of the requested workflow's job, as the seed's table does.
/// </summary>
public static class StatusTable
{
    private static readonly string[] Headers = ["RUN", "TAG", "JOB", "WORKFLOW", "VARIABLES", "SUBMITTED", "RUNNER", "STATUS", "REASON"];

    public static TextTable Build(IReadOnlyList<RunInfo> runs, DateTimeOffset now)
    {
        var table = new TextTable(Headers);
        foreach (var run in runs)
        {
            var main = run.Jobs.LastOrDefault(j => j.Workflow == run.Workflow);
            table.AddRow(
                run.RunName, run.Tag ?? "<none>", "", run.Workflow, VariablesText.Format(run.Variables),
                RelativeTime.Format(run.SubmittedAt, now), main?.Runner ?? "", run.Status.ToDisplay(), "");
            foreach (var job in run.Jobs)
            {
                table.AddRow(
                    "", "", job.JobId, job.Workflow, VariablesText.Format(job.Variables),
                    RelativeTime.Format(job.SubmittedAt, now), job.Runner ?? "", job.Status.ToDisplay(), Reason(run, job));
            }
        }
        return table;
    }

    /// <summary>
    /// A job's reason as it shows under a run: a job the run took from an earlier run (same cache key) says so first,
    /// since its row otherwise looks like one the run ran itself.
    /// </summary>
    public static string Reason(RunInfo run, JobInfo job)
    {
        var reason = Reason(job);
        if (!job.Reused || job.RunName == run.RunName) return reason;
        var reused = $"reused from run {job.RunName}";
        return reason.Length == 0 ? reused : $"{reused}; {reason}";
    }

    /// <summary>The job's reason, with its exit code or signal when the reason does not already say it.</summary>
    public static string Reason(JobInfo job)
    {
        var reason = job.Reason ?? "";
        var exit = job.Signal is { } signal ? $"killed by {signal}" : job.ExitCode is { } code && code != 0 ? $"exit code {code}" : null;
        // A stop's reason already tells how the job ended ("stopped by the user (SIGTERM, ...)").
        if (exit is null || reason.Contains(exit, StringComparison.Ordinal) || (job.Signal is { } named && reason.Contains(named, StringComparison.Ordinal))) return reason;
        return reason.Length == 0 ? exit : $"{reason} ({exit})";
    }
}
