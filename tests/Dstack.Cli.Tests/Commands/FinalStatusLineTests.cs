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
}
