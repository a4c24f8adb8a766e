using Dstack.Cli.Resuming;
using Dstack.Contracts.Jobs;
using static Dstack.Cli.Tests.Support.SampleJobs;

namespace Dstack.Cli.Tests.Resuming;

public class ResumeReportTests
{
    private const string Evaluate = "eeeeeeeeeeee";

    [Fact]
    public void AResumedJob_IsNamedWithItsNewAttempt()
    {
        var resumed = Job(Download, "download-model", JobStatus.Submitted) with { Attempt = 2 };
        var before = Run(Job(Download, "download-model", JobStatus.Stopped));
        var after = Run(resumed);

        Assert.Equal(["resumed 53881a211647 (download-model), attempt 2"], ResumeReport.Lines(resumed, before, after));
    }

    [Fact]
    public void DependentsStoppedBeforeTheResume_AndQueuedAfterIt_AreListedAsReQueued()
    {
        var resumed = Job(Download, "download-model", JobStatus.Submitted) with { Attempt = 3 };
        var before = Run(
            Job(Download, "download-model", JobStatus.Stopped),
            Job(Finetune, "finetune-model", JobStatus.Stopped, started: false),
            Job(Evaluate, "evaluate", JobStatus.Stopped, started: false));
        var after = Run(
            resumed,
            Job(Finetune, "finetune-model", JobStatus.Submitted, started: false),
            Job(Evaluate, "evaluate", JobStatus.Submitted, started: false));

        Assert.Equal(
        [
            "resumed 53881a211647 (download-model), attempt 3",
            "re-queued 0a1b2c3d4e5f (finetune-model), which depends on it",
            "re-queued eeeeeeeeeeee (evaluate), which depends on it",
        ], ResumeReport.Lines(resumed, before, after));
    }

    [Fact]
    public void JobsThatWereAlreadyWaiting_OrStayStopped_AreNotCalledReQueued()
    {
        var resumed = Job(Download, "download-model", JobStatus.Running) with { Attempt = 2 };
        var before = Run(
            Job(Download, "download-model", JobStatus.Stopped),
            Job(Finetune, "finetune-model", JobStatus.Submitted, started: false),
            Job(Evaluate, "evaluate", JobStatus.Stopped));
        var after = Run(
            resumed,
            Job(Finetune, "finetune-model", JobStatus.Submitted, started: false),
            Job(Evaluate, "evaluate", JobStatus.Stopped));

        Assert.Empty(ResumeReport.Requeued(Download, before, after));
    }

    [Fact]
    public void WithoutTheRun_OnlyTheResumedJobIsReported() =>
        Assert.Equal(["resumed 53881a211647 (download-model), attempt 2"], ResumeReport.Lines(Job(Download, "download-model", JobStatus.Submitted) with { Attempt = 2 }, null, null));

    [Fact]
    public void ARunName_IsRefused_ListingTheRunsJobsToPickFrom() =>
        Assert.Equal(
            "resume takes a job id: run fast-rabbit-1 has jobs 53881a211647 (download-model, STOPPED), 0a1b2c3d4e5f (finetune-model, STOPPED); resume one with `dstack resume JOB`",
            ResumeReport.RunNameGiven(Run(Job(Download, "download-model", JobStatus.Stopped), Job(Finetune, "finetune-model", JobStatus.Stopped, started: false))));
}
