using Dstack.Cli.Logs;
using Dstack.Cli.Terminal;

namespace Dstack.Cli.Tests.Logs;

public class SinceParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("30s", 0, 0, 30)]
    [InlineData("5m", 0, 5, 0)]
    [InlineData("2h", 2, 0, 0)]
    [InlineData("1d", 24, 0, 0)]
    public void ARelativeTimeCountsBackFromNow(string text, int hours, int minutes, int seconds)
    {
        Assert.Equal(Now - new TimeSpan(hours, minutes, seconds), SinceParser.Parse(text, Now));
    }

    [Fact]
    public void AnIso8601TimeWithZoneIsTakenAsWritten()
    {
        Assert.Equal(new DateTimeOffset(2026, 2, 28, 8, 30, 0, TimeSpan.Zero), SinceParser.Parse("2026-02-28T10:30:00+02:00", Now));
        Assert.Equal(new DateTimeOffset(2026, 2, 28, 10, 30, 0, TimeSpan.Zero), SinceParser.Parse("2026-02-28T10:30:00Z", Now));
    }

    [Fact]
    public void AnIso8601TimeWithoutZoneIsUtc()
    {
        Assert.Equal(new DateTimeOffset(2026, 2, 28, 10, 30, 0, TimeSpan.Zero), SinceParser.Parse("2026-02-28T10:30:00", Now));
    }

    [Theory]
    [InlineData("5x")]
    [InlineData("yesterday")]
    [InlineData("m")]
    [InlineData("-5m")]
    public void AnythingElseIsRefusedWithTheAcceptedForms(string text)
    {
        var error = Assert.Throws<CliException>(() => SinceParser.Parse(text, Now));
        Assert.Contains($"--since '{text}'", error.Message);
        Assert.Contains("30s, 5m, 2h, 1d", error.Message);
    }
}
