using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runs;

namespace Dstack.Cli.Tests.Support;

/// <summary>Jobs and runs of the finetune pipeline in the states stop and resume leave them in, as the server would answer them.</summary>
public static class SampleJobs
{
    public const string Download = "53881a211647";
    public const string Finetune = "0a1b2c3d4e5f";

    public static JobInfo Job(string jobId, string workflow, JobStatus status, bool started = true) => new()
    {
        JobId = jobId,
        RunName = "fast-rabbit-1",
        Workflow = workflow,
        Status = status,
        Runner = started ? "cricket-1" : null,
        Variables = new Dictionary<string, string>(),
        SubmittedAt = SampleRuns.Now.AddMinutes(-5),
        StartedAt = started ? SampleRuns.Now.AddMinutes(-4) : null,
    };

    public static RunInfo Run(params JobInfo[] jobs) => new()
    {
        RunName = "fast-rabbit-1",
        Workflow = "finetune-model",
        Status = Dstack.Core.Jobs.RunStatusRule.Derive(jobs.Select(j => j.Status).ToList()),
        SubmittedAt = SampleRuns.Now.AddMinutes(-5),
        Variables = new Dictionary<string, string>(),
        RepoUrl = "/tmp/remote.git",
        Commit = "0123456789abcdef0123456789abcdef01234567",
        Jobs = jobs,
    };
}
