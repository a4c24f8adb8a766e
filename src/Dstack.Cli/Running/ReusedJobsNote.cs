using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runs;

namespace Dstack.Cli.Running;

/// <summary>
/// What `dstack run` tells on stderr after submitting, for each job the run took from an earlier one instead of
/// running it: the run's name stays alone on stdout for scripts.
/// </summary>
public static class ReusedJobsNote
{
    public static IEnumerable<string> Lines(RunInfo run) =>
        run.Jobs.Where(j => j.Reused).Select(j => j.Status == JobStatus.Done
            ? $"{j.Workflow}: reused job {j.JobId} of run {j.RunName} (DONE with the same code, variables and dependencies)"
            : $"{j.Workflow}: waits for job {j.JobId} of run {j.RunName} ({j.Status.ToDisplay()}, same code, variables and dependencies) instead of running it again");
}
