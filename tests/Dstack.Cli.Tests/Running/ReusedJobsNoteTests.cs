using Dstack.Cli.Running;
using Dstack.Cli.Tests.Support;
using Dstack.Contracts.Jobs;

namespace Dstack.Cli.Tests.Running;

public class ReusedJobsNoteTests
{
    [Fact]
    public void EachReusedOrAwaitedJobIsNamedWithTheRunItCameFrom()
    {
        var run = SampleRuns.FinishedFinetune();
        run = run with
        {
            Jobs =
            [
                run.Jobs[0] with { RunName = "old-owl-1", Reused = true },
                run.Jobs[1] with { RunName = "busy-bee-3", Reused = true, Status = JobStatus.Running },
            ],
        };
        Assert.Equal(
        [
            "download-model: reused job 53881a211647 of run old-owl-1 (DONE with the same code, variables and dependencies)",
            "finetune-model: waits for job 0a1b2c3d4e5f of run busy-bee-3 (RUNNING, same code, variables and dependencies) instead of running it again",
        ], ReusedJobsNote.Lines(run));
    }

    [Fact]
    public void ARunOfItsOwnJobsHasNothingToSay()
    {
        Assert.Empty(ReusedJobsNote.Lines(SampleRuns.FinishedFinetune()));
    }
}
