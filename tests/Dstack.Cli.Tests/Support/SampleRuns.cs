using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runs;

namespace Dstack.Cli.Tests.Support;

/// <summary>RunInfo objects as the server would answer them.</summary>
public static class SampleRuns
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static RunInfo FinishedFinetune()
    {
        var variables = new Dictionary<string, string> { ["model"] = "117M" };
        var submitted = Now.AddSeconds(-75);
        return new RunInfo
        {
            RunName = "fast-rabbit-1",
            Workflow = "finetune-model",
            Status = JobStatus.Done,
            SubmittedAt = submitted,
            Variables = variables,
            RepoUrl = "/tmp/remote.git",
            Branch = "main",
            Commit = "0123456789abcdef0123456789abcdef01234567",
            Jobs =
            [
                new JobInfo { JobId = "53881a211647", RunName = "fast-rabbit-1", Workflow = "download-model", Status = JobStatus.Done, Runner = "cricket-1", Variables = variables, SubmittedAt = submitted, ExitCode = 0 },
                new JobInfo { JobId = "0a1b2c3d4e5f", RunName = "fast-rabbit-1", Workflow = "finetune-model", Status = JobStatus.Done, Runner = "cricket-1", Variables = variables, SubmittedAt = submitted, ExitCode = 0 },
            ],
        };
    }

    public static RunInfo WaitingWithFailedDependency() => new()
    {
        RunName = "slow-owl-2",
        Tag = "best",
        Workflow = "train",
        Status = JobStatus.Failed,
        SubmittedAt = Now.AddHours(-3),
        Variables = new Dictionary<string, string>(),
        RepoUrl = "/tmp/remote.git",
        Commit = "0123456789abcdef0123456789abcdef01234567",
        Jobs =
        [
            new JobInfo { JobId = "aaaaaaaaaaaa", RunName = "slow-owl-2", Workflow = "prepare", Status = JobStatus.Failed, Runner = "cricket-1", Variables = new Dictionary<string, string>(), SubmittedAt = Now.AddHours(-3), ExitCode = 2, Reason = "the commands failed" },
            new JobInfo { JobId = "bbbbbbbbbbbb", RunName = "slow-owl-2", Workflow = "train", Status = JobStatus.Failed, Variables = new Dictionary<string, string>(), SubmittedAt = Now.AddHours(-3), Reason = "dependency prepare failed" },
        ],
    };
}
