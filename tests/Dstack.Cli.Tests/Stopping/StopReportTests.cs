using Dstack.Cli.Stopping;
using Dstack.Cli.Targets;
using Dstack.Cli.Tests.Support;
using Dstack.Contracts.Jobs;
using static Dstack.Cli.Tests.Support.SampleJobs;

namespace Dstack.Cli.Tests.Stopping;

public class StopReportTests
{
    private static StopResult Result(IReadOnlyList<string> changed, params JobInfo[] jobs) => new() { Jobs = jobs, Changed = changed };

    [Fact]
    public void AStoppedRun_GetsALinePerChangedJob_InTheRunsOrder()
    {
        var result = Result([Finetune, Download],
            Job(Download, "download-model", JobStatus.Stopping),
            Job(Finetune, "finetune-model", JobStatus.Stopped, started: false));

        Assert.Equal(
            ["stopping 53881a211647 (download-model)", "stopped 0a1b2c3d4e5f (finetune-model) before it started"],
            StopReport.ChangedLines(result));
    }

    [Fact]
    public void JobsTheStopDidNotChange_AreNotListed()
    {
        var result = Result([Finetune],
            Job(Download, "download-model", JobStatus.Done),
            Job(Finetune, "finetune-model", JobStatus.Aborting));

        Assert.Equal(["aborting 0a1b2c3d4e5f (finetune-model)"], StopReport.ChangedLines(result));
    }

    [Theory]
    [InlineData(JobStatus.Stopping, true, "stopping 53881a211647 (download-model)")]
    [InlineData(JobStatus.Aborting, true, "aborting 53881a211647 (download-model)")]
    [InlineData(JobStatus.Stopped, true, "stopped 53881a211647 (download-model)")]
    [InlineData(JobStatus.Aborted, true, "aborted 53881a211647 (download-model)")]
    [InlineData(JobStatus.Stopped, false, "stopped 53881a211647 (download-model) before it started")]
    [InlineData(JobStatus.Aborted, false, "aborted 53881a211647 (download-model) before it started")]
    [InlineData(JobStatus.Done, true, "53881a211647 (download-model) is DONE")]
    public void EachStatusAStopLeavesAJobIn_ReadsAsAVerb(JobStatus status, bool started, string line) =>
        Assert.Equal(line, StopReport.ChangedLine(Job(Download, "download-model", status, started)));

    [Fact]
    public void AChangedIdMissingFromTheAnswer_IsStillReported() =>
        Assert.Equal(["changed ffffffffffff"], StopReport.ChangedLines(Result(["ffffffffffff"])));

    [Fact]
    public void AFinishedRun_HasNothingToStop_AndSaysHowItEnded()
    {
        var jobs = new[] { Job(Download, "download-model", JobStatus.Done), Job(Finetune, "finetune-model", JobStatus.Done) };
        var target = new RunOrJob(Run(jobs), null);

        Assert.Equal("run fast-rabbit-1 has already finished (DONE): nothing to stop", StopReport.NothingToStop(target, Result([], jobs), abort: false));
    }

    [Fact]
    public void AFinishedJob_HasNothingToStop_AndSaysItsStatus()
    {
        var job = Job(Download, "download-model", JobStatus.Failed);

        Assert.Equal("job 53881a211647 has already finished (FAILED): nothing to stop", StopReport.NothingToStop(new RunOrJob(null, job), Result([], job), abort: true));
    }

    [Fact]
    public void TheRunsStatus_IsTakenFromTheAnswersJobs_NotFromTheRunAsItWasBefore()
    {
        var before = Run(Job(Download, "download-model", JobStatus.Running));
        var now = Job(Download, "download-model", JobStatus.Stopped);

        Assert.Equal("run fast-rabbit-1 has already finished (STOPPED): nothing to stop", StopReport.NothingToStop(new RunOrJob(before, null), Result([], now), abort: false));
    }

    [Fact]
    public void ARunAlreadyStopping_HasNothingMoreToStop_AndSaysHowToKillItAtOnce()
    {
        var job = Job(Download, "download-model", JobStatus.Stopping);

        Assert.Equal(
            "run fast-rabbit-1 is already STOPPING: nothing to stop; to kill it at once: `dstack stop -a fast-rabbit-1`",
            StopReport.NothingToStop(new RunOrJob(Run(job), null), Result([], job), abort: false));
    }

    [Fact]
    public void AJobAlreadyAborting_HasNothingToAbort_AndNoAdviceToAbortIt()
    {
        var job = Job(Download, "download-model", JobStatus.Aborting);

        Assert.Equal("job 53881a211647 is already ABORTING: nothing to stop", StopReport.NothingToStop(new RunOrJob(null, job), Result([], job), abort: true));
    }

    [Fact]
    public void TheFinalLine_GivesTheStatusAndTheReasonWithTheSignal()
    {
        var job = Job(Download, "download-model", JobStatus.Stopped) with { Reason = "stopped by the user", Signal = "SIGKILL" };

        Assert.Equal("53881a211647 (download-model) STOPPED: stopped by the user (killed by SIGKILL)", StopReport.FinalLine(job));
        Assert.Equal("53881a211647 (download-model) ABORTED", StopReport.FinalLine(job with { Status = JobStatus.Aborted, Reason = null, Signal = null }));
    }
}
