using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runs;
using Dstack.Core.Jobs;
using Dstack.Server.Runners;

namespace Dstack.Server.Runs;

/// <summary>Builds what the API shows of runs and jobs: statuses derived by RunStatusRule, waiting reasons from the live runners.</summary>
public sealed class RunViews(RunnerLiveness liveness)
{
    public IReadOnlyList<RunInfo> Build(IReadOnlyList<RunRow> runs)
    {
        if (runs.Count == 0) return [];
        var live = runs.Any(r => r.Jobs.Any(j => j.Status == JobStatus.Submitted)) ? liveness.LiveRunners() : [];
        return runs.Select(r => Build(r, live)).ToList();
    }

    public RunInfo Build(RunRow run) => Build([run])[0];

    /// <summary>A run loaded with only some of its jobs: its status comes from the statuses of all of them.</summary>
    public RunInfo Build(RunRow run, IReadOnlySet<JobStatus> allStatuses) => Build(run) with { Status = RunStatusRule.Derive(allStatuses) };

    private static RunInfo Build(RunRow run, IReadOnlyList<RunnerRow> live) => new()
    {
        RunName = run.Name,
        Tag = run.Tag,
        Workflow = run.Workflow,
        Status = RunStatusRule.Derive(run.Jobs.Select(j => j.Status).ToList()),
        SubmittedAt = run.SubmittedAt,
        Variables = run.Variables,
        RepoUrl = run.RepoUrl,
        Branch = run.Branch,
        Commit = run.Commit,
        Jobs = run.Jobs.Select(j => Build(j, live)).ToList(),
    };

    private static JobInfo Build(JobRow job, IReadOnlyList<RunnerRow> live) => new()
    {
        JobId = job.Id,
        RunName = job.RunName,
        Workflow = job.Workflow,
        Status = job.Status,
        Runner = job.RunnerName,
        Variables = job.Variables,
        SubmittedAt = job.SubmittedAt,
        StartedAt = job.StartedAt,
        FinishedAt = job.FinishedAt,
        Reason = job.Status == JobStatus.Submitted ? WaitReason.Of(job, live) : job.Reason,
        ExitCode = job.ExitCode,
        Signal = job.Signal,
        Attempt = job.Attempt,
        DependsOn = job.DependsOn,
        ArtifactsPartial = job.ArtifactsPartial,
        Attempts = job.Attempts,
        Reused = job.Reused,
        CacheKey = job.CacheKey,
    };
}
