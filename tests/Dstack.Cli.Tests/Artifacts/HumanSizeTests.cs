using Dstack.Cli.Artifacts;

namespace Dstack.Cli.Tests.Artifacts;

public class HumanSizeTests
{
    [Theory]
    [InlineData(0L, "0 B")]
    [InlineData(1023L, "1023 B")]
    [InlineData(1024L, "1 KB")]
    [InlineData(1536L, "1.5 KB")]
    [InlineData(150L * 1024, "150 KB")]
    [InlineData(5L * 1024 * 1024 + 300 * 1024, "5.3 MB")]
    [InlineData(3L * 1024 * 1024 * 1024, "3 GB")]
    public void SizesUseTheLargestFittingUnit(long bytes, string expected)
    {
        Assert.Equal(expected, HumanSize.Format(bytes));
    }
}
