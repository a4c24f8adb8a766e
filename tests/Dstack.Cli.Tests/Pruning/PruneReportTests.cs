using Dstack.Cli.Commands;
using Dstack.Cli.Pruning;
using Dstack.Cli.Tests.Support;
using Dstack.Contracts.Pruning;

namespace Dstack.Cli.Tests.Pruning;

public class PruneReportTests
{
    [Fact]
    public void APruneListsTheRunsThenTheTotalsInHumanSize()
    {
        var result = new PruneResult { DryRun = false, Runs = ["fast-rabbit-1", "slow-owl-2"], Jobs = 3, Blobs = 4, Bytes = 1536 * 1024 };
        Assert.Equal(
        [
            "removed run fast-rabbit-1",
            "removed run slow-owl-2",
            "removed 2 runs, 3 jobs and 4 stored files: 1.5 MB freed",
        ], PruneReport.Lines(result));
    }

    [Fact]
    public void ADryRunSaysWhatWouldGoAndThatNothingWent()
    {
        var result = new PruneResult { DryRun = true, Runs = ["fast-rabbit-1"], Jobs = 1, Blobs = 1, Bytes = 512 };
        Assert.Equal(
        [
            "would remove run fast-rabbit-1",
            "would remove 1 run, 1 job and 1 stored file: 512 B would be freed",
            "nothing was removed: run `dstack prune` to remove them",
        ], PruneReport.Lines(result));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NoRunToRemoveIsNothingToPrune(bool dryRun)
    {
        Assert.Equal(["nothing to prune"], PruneReport.Lines(new PruneResult { DryRun = dryRun, Runs = [], Jobs = 0, Blobs = 0, Bytes = 0 }));
    }

    [Fact]
    public void TagAndUntagSayWhatTheyDid()
    {
        var run = SampleRuns.FinishedFinetune() with { RunName = "clever-otter-1", Tag = "latest" };
        Assert.Equal("tagged run clever-otter-1 as latest", TagCommand.Line(run));
        Assert.Equal("removed tag latest from run clever-otter-1", UntagCommand.Line("latest", run with { Tag = null }));
    }
}
