using Dstack.Runner.Jobs;

namespace Dstack.Runner.Tests.Jobs;

public class JobPhaseClockTests
{
    [Fact]
    public void Summary_NamesEachPhaseInOrder_WithTheTotal()
    {
        var clock = new JobPhaseClock();
        clock.Mark("workspace");
        clock.Mark("commands");

        Assert.Matches(@"^in \d+(\.\d)? ms \(workspace \d+(\.\d)? ms, commands \d+(\.\d)? ms\)$", clock.Summary());
    }

    [Fact]
    public void Summary_WithoutPhases_IsTheTotalAlone() =>
        Assert.Matches(@"^in \d+(\.\d)? ms$", new JobPhaseClock().Summary());
}
