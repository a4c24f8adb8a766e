using Dstack.Cli.Terminal;
using Dstack.Contracts.Runs;

namespace Dstack.Cli.Running;

/// <summary>
/// `dstack run W --dry-run`: a row per job the run would have, in dependency order, saying whether it would run, reuse
/// a DONE job or wait for one still going, and why: for a job that runs, what differs from the closest earlier job.
/// </summary>
public static class DryRunTable
{
    private static readonly string[] Headers = ["WORKFLOW", "DECISION", "JOB", "WHY"];

    public static TextTable Build(RunPlanPreview preview)
    {
        var table = new TextTable(Headers);
        foreach (var job in preview.Jobs)
        {
            table.AddRow(job.Workflow, Decision(job.Decision), Job(job), Why(job));
        }
        return table;
    }

    public static string Decision(CacheDecision decision) => decision switch
    {
        CacheDecision.Reuse => "reuse",
        CacheDecision.Await => "wait for",
        _ => "run",
    };

    public static string Why(JobPlanPreview job) => job.Decision switch
    {
        CacheDecision.Reuse => $"DONE in run {job.RunName}",
        CacheDecision.Await => $"running in run {job.RunName}",
        _ => string.Join("; ", job.Differences) + (job.ClosestJobId is { } closest ? $" (closest: job {closest})" : ""),
    };

    private static string Job(JobPlanPreview job) => job.Decision is CacheDecision.Reuse or CacheDecision.Await ? job.JobId ?? "-" : "-";
}
