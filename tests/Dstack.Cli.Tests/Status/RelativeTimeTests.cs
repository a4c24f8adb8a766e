using Dstack.Cli.Status;

namespace Dstack.Cli.Tests.Status;

public class RelativeTimeTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, "now")]
    [InlineData(-5, "now")]
    [InlineData(12, "12 sec ago")]
    [InlineData(59, "59 sec ago")]
    [InlineData(60, "1 min ago")]
    [InlineData(119, "1 min ago")]
    [InlineData(45 * 60, "45 min ago")]
    [InlineData(3600, "1 hour ago")]
    [InlineData(3 * 3600 + 59, "3 hours ago")]
    [InlineData(24 * 3600, "1 day ago")]
    [InlineData(2 * 24 * 3600 + 7, "2 days ago")]
    public void TimesShowAsHowLongAgo(int secondsAgo, string expected)
    {
        Assert.Equal(expected, RelativeTime.Format(Now.AddSeconds(-secondsAgo), Now));
    }
}
