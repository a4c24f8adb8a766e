using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runs;

namespace Dstack.Cli.Resuming;

/// <summary>What `dstack resume` prints: the new attempt, and the dependents it brought back into the queue.</summary>
public static class ResumeReport
{
    /// <summary>"resumed ID (WORKFLOW), attempt N", then "re-queued ID (WORKFLOW), which depends on it" for each dependent re-queued.</summary>
    public static IReadOnlyList<string> Lines(JobInfo resumed, RunInfo? before, RunInfo? after)
    {
        var lines = new List<string> { $"resumed {resumed.JobId} ({resumed.Workflow}), attempt {resumed.Attempt}" };
        lines.AddRange(Requeued(resumed.JobId, before, after).Select(j => $"re-queued {j.JobId} ({j.Workflow}), which depends on it"));
        return lines;
    }

    /// <summary>
    /// The run's other jobs that were STOPPED before the resume and are SUBMITTED after it: the server re-queues the
    /// dependents that were stopped before they started, and nothing else moves a STOPPED job back.
    /// </summary>
    public static IReadOnlyList<JobInfo> Requeued(string resumedJobId, RunInfo? before, RunInfo? after)
    {
        if (before is null || after is null) return [];
        var stoppedBefore = before.Jobs.Where(j => j.Status == JobStatus.Stopped).Select(j => j.JobId).ToHashSet(StringComparer.Ordinal);
        return after.Jobs.Where(j => j.JobId != resumedJobId && j.Status == JobStatus.Submitted && stoppedBefore.Contains(j.JobId)).ToList();
    }

    /// <summary>The refusal of a run name: resume works on one job, so the message lists the run's jobs to pick from.</summary>
    public static string RunNameGiven(RunInfo run)
    {
        var jobs = string.Join(", ", run.Jobs.Select(j => $"{j.JobId} ({j.Workflow}, {j.Status.ToDisplay()})"));
        return $"resume takes a job id: run {run.RunName} has jobs {jobs}; resume one with `dstack resume JOB`";
    }
}
