using Dstack.Cli.Status;
using Dstack.Cli.Terminal;
using Dstack.Cli.Tests.Support;

namespace Dstack.Cli.Tests.Status;

public class StatusTableTests
{
    private static string[] Render(params Dstack.Contracts.Runs.RunInfo[] runs)
    {
        var writer = new StringWriter();
        StatusTable.Build(runs, SampleRuns.Now).WriteTo(writer);
        var text = writer.ToString();
        Assert.EndsWith("\n", text);
        return text.TrimEnd('\n').Split('\n');
    }

    [Fact]
    public void ARunRowIsFollowedByARowForEachOfItsJobs()
    {
        var lines = Render(SampleRuns.FinishedFinetune());
        Assert.Equal(4, lines.Length);
        Assert.Equal(["RUN", "TAG", "JOB", "WORKFLOW", "VARIABLES", "SUBMITTED", "RUNNER", "STATUS", "REASON"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^fast-rabbit-1\s+<none>\s+finetune-model\s+--model 117M\s+1 min ago\s+cricket-1\s+DONE$", lines[1]);
        Assert.Matches(@"^\s+53881a211647\s+download-model\s+--model 117M\s+1 min ago\s+cricket-1\s+DONE$", lines[2]);
        Assert.Matches(@"^\s+0a1b2c3d4e5f\s+finetune-model\s+--model 117M\s+1 min ago\s+cricket-1\s+DONE$", lines[3]);
    }

    [Fact]
    public void LinesCarryNoTrailingBlanks()
    {
        Assert.All(Render(SampleRuns.FinishedFinetune(), SampleRuns.WaitingWithFailedDependency()), l => Assert.Equal(l.TrimEnd(), l));
    }

    [Fact]
    public void ColumnsLineUpUnderTheirHeaders()
    {
        var lines = Render(SampleRuns.FinishedFinetune());
        var jobColumn = lines[0].IndexOf("JOB", StringComparison.Ordinal);
        var statusColumn = lines[0].IndexOf("STATUS", StringComparison.Ordinal);
        Assert.Equal(jobColumn, lines[2].IndexOf("53881a211647", StringComparison.Ordinal));
        Assert.Equal(statusColumn, lines[1].IndexOf("DONE", StringComparison.Ordinal));
        Assert.Equal(statusColumn, lines[3].IndexOf("DONE", StringComparison.Ordinal));
    }

    [Fact]
    public void AJobShowsItsReasonWithItsExitCode()
    {
        var lines = Render(SampleRuns.WaitingWithFailedDependency());
        Assert.Matches(@"^slow-owl-2\s+best\s+train\s+3 hours ago\s+FAILED$", lines[1]);
        Assert.EndsWith("FAILED  the commands failed (exit code 2)", lines[2]);
        Assert.EndsWith("FAILED  dependency prepare failed", lines[3]);
    }

    [Fact]
    public void AReasonThatAlreadyNamesTheSignalIsNotRepeated()
    {
        var job = SampleRuns.FinishedFinetune().Jobs[0] with { Status = Dstack.Contracts.Jobs.JobStatus.Failed, Signal = "SIGKILL", Reason = "killed by SIGKILL" };
        Assert.Equal("killed by SIGKILL", StatusTable.Reason(job));
        Assert.Equal("killed by SIGKILL", StatusTable.Reason(job with { Reason = null }));
    }

    [Fact]
    public void AStopReasonThatNamesTheSignal_IsShownAlone()
    {
        var job = SampleRuns.FinishedFinetune().Jobs[0] with
        {
            Status = Dstack.Contracts.Jobs.JobStatus.Stopped,
            Signal = "SIGTERM",
            Reason = "stopped by the user (SIGTERM, exited in 0.06 s)",
        };
        Assert.Equal("stopped by the user (SIGTERM, exited in 0.06 s)", StatusTable.Reason(job));
    }

    [Fact]
    public void StoppedAbortedAndStoppingJobs_ShowTheirStatusAndWhy()
    {
        var run = Support.SampleJobs.Run(
            Support.SampleJobs.Job("53881a211647", "download-model", Dstack.Contracts.Jobs.JobStatus.Stopped) with { Reason = "stopped by the user", Signal = "SIGTERM" },
            Support.SampleJobs.Job("0a1b2c3d4e5f", "finetune-model", Dstack.Contracts.Jobs.JobStatus.Stopped, started: false) with { Reason = "stopped before it started" },
            Support.SampleJobs.Job("eeeeeeeeeeee", "evaluate", Dstack.Contracts.Jobs.JobStatus.Aborted) with { Reason = "aborted by the user", Signal = "SIGKILL" },
            Support.SampleJobs.Job("dddddddddddd", "report", Dstack.Contracts.Jobs.JobStatus.Aborting));

        var lines = Render(run);

        Assert.Matches(@"^fast-rabbit-1\s.*\sABORTING$", lines[1]);
        Assert.EndsWith("STOPPED   stopped by the user (killed by SIGTERM)", lines[2]);
        Assert.EndsWith("STOPPED   stopped before it started", lines[3]);
        Assert.EndsWith("ABORTED   aborted by the user (killed by SIGKILL)", lines[4]);
        Assert.EndsWith("ABORTING", lines[5]);
    }

    [Fact]
    public void AJobThatFailedOnALostRunner_ShowsThatReason()
    {
        var run = Support.SampleJobs.Run(Support.SampleJobs.Job("53881a211647", "download-model", Dstack.Contracts.Jobs.JobStatus.Failed) with { Reason = "runner lost" });

        Assert.EndsWith("FAILED  runner lost", Render(run)[2]);
    }

    [Fact]
    public void AJobReusedFromAnEarlierRun_SaysWhichRunItCameFrom()
    {
        var run = SampleRuns.FinishedFinetune();
        run = run with { Jobs = [run.Jobs[0] with { RunName = "old-owl-1", Reused = true }, run.Jobs[1]] };

        var lines = Render(run);

        Assert.Matches(@"^\s+53881a211647\s+download-model\s+--model 117M\s+1 min ago\s+cricket-1\s+DONE\s+reused from run old-owl-1$", lines[2]);
        Assert.EndsWith("DONE", lines[3]);
    }

    [Fact]
    public void AReusedJobKeepsItsOwnReasonAfterTheMarker()
    {
        var run = SampleRuns.FinishedFinetune();
        var job = run.Jobs[0] with { RunName = "old-owl-1", Reused = true, Status = Dstack.Contracts.Jobs.JobStatus.Submitted, Reason = "waiting for a runner" };
        Assert.Equal("reused from run old-owl-1; waiting for a runner", StatusTable.Reason(run, job));
    }

    [Fact]
    public void AJobShownUnderItsOwnRunIsNotMarkedReused()
    {
        var run = SampleRuns.FinishedFinetune();
        // Listing the run that created the job: nothing was reused there.
        Assert.Equal("", StatusTable.Reason(run, run.Jobs[0] with { Reused = true }));
        Assert.Equal("", StatusTable.Reason(run, run.Jobs[0]));
    }
}
