using Dstack.Cli.Status;
using Dstack.Cli.Targets;
using Dstack.Contracts.Jobs;
using Dstack.Core.Jobs;

namespace Dstack.Cli.Stopping;

/// <summary>What `dstack stop` prints: a line per job the stop changed, or why there was nothing to stop, and the final statuses with --wait.</summary>
public static class StopReport
{
    /// <summary>One line per changed job, in the run's order: "stopping ID (WORKFLOW)", "stopped ID (WORKFLOW) before it started"...</summary>
    public static IReadOnlyList<string> ChangedLines(StopResult result)
    {
        var changed = result.Changed.ToHashSet(StringComparer.Ordinal);
        var lines = result.Jobs.Where(j => changed.Contains(j.JobId)).Select(ChangedLine).ToList();
        // A changed id the answer did not list (it should not happen) is still reported, not dropped.
        var listed = result.Jobs.Select(j => j.JobId).ToHashSet(StringComparer.Ordinal);
        lines.AddRange(result.Changed.Where(id => !listed.Contains(id)).Select(id => $"changed {id}"));
        return lines;
    }

    public static string ChangedLine(JobInfo job)
    {
        var name = $"{job.JobId} ({job.Workflow})";
        // A job that never started has no process to signal: the server finishes it at once.
        var beforeStart = job.StartedAt is null ? " before it started" : "";
        return job.Status switch
        {
            JobStatus.Stopping => $"stopping {name}",
            JobStatus.Aborting => $"aborting {name}",
            JobStatus.Stopped => $"stopped {name}{beforeStart}",
            JobStatus.Aborted => $"aborted {name}{beforeStart}",
            _ => $"{name} is {job.Status.ToDisplay()}",
        };
    }

    /// <summary>The line for a stop that changed nothing: everything had finished, or was already being stopped.</summary>
    public static string NothingToStop(RunOrJob target, StopResult result, bool abort)
    {
        var what = target.Run is { } run ? $"run {run.RunName}" : $"job {target.Job!.JobId}";
        var status = Status(target, result);
        if (status.IsFinished()) return $"{what} has already finished ({status.ToDisplay()}): nothing to stop";
        var escalate = abort ? "" : $"; to kill it at once: `dstack stop -a {target.Name}`";
        return $"{what} is already {status.ToDisplay()}: nothing to stop{escalate}";
    }

    /// <summary>"ID (WORKFLOW) STOPPED", with the reason when there is one: what --wait prints as each job ends.</summary>
    public static string FinalLine(JobInfo job)
    {
        var reason = StatusTable.Reason(job);
        return $"{job.JobId} ({job.Workflow}) {job.Status.ToDisplay()}" + (reason.Length > 0 ? $": {reason}" : "");
    }

    // The answer's jobs are the freshest; the run's status follows from them by the same rule the server uses.
    private static JobStatus Status(RunOrJob target, StopResult result)
    {
        if (target.Job is { } job) return result.Jobs.FirstOrDefault(j => j.JobId == job.JobId)?.Status ?? job.Status;
        return result.Jobs.Count > 0 ? RunStatusRule.Derive(result.Jobs.Select(j => j.Status).ToList()) : target.Run!.Status;
    }
}
