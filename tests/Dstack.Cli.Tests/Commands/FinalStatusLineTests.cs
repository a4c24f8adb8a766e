using Dstack.Cli.Commands;
using Dstack.Cli.Tests.Support;

namespace Dstack.Cli.Tests.Commands;

public class FinalStatusLineTests
{
    [Fact]
    public void ADoneRunIsOneWord()
    {
        Assert.Equal("run fast-rabbit-1 DONE", RunCommand.FinalStatusLine(SampleRuns.FinishedFinetune()));
    }

    [Fact]
    public void AFailedRunNamesEachJobThatDidNotFinishAndWhy()
    {
        Assert.Equal(
            "run slow-owl-2 FAILED: prepare (aaaaaaaaaaaa) FAILED: the commands failed (exit code 2); train (bbbbbbbbbbbb) FAILED: dependency prepare failed",
            RunCommand.FinalStatusLine(SampleRuns.WaitingWithFailedDependency()));
    }

    [Fact]
    public void CtrlCOnRunFollow_SaysTheRunGoesOn_AndHowToFollowSeeOrStopIt() =>
        Assert.Equal(
            "detached from fast-rabbit-1: it goes on. Follow it again with `dstack logs -f fast-rabbit-1`, see it with `dstack status fast-rabbit-1`, stop it with `dstack stop fast-rabbit-1`",
            RunCommand.DetachedLine("fast-rabbit-1"));
}
