using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runs;

namespace Dstack.Cli.Targets;

/// <summary>What a `(RUN | JOB)` argument named: exactly one of Run and Job is set.</summary>
public sealed record RunOrJob(RunInfo? Run, JobInfo? Job)
{
    public string Name => Run?.RunName ?? Job!.JobId;
}
