using System.Globalization;
using Dstack.Cli.Terminal;

namespace Dstack.Cli.Logs;

/// <summary>`--since`: an ISO 8601 time, or a span back from now (30s, 5m, 2h, 1d).</summary>
public static class SinceParser
{
    public static DateTimeOffset Parse(string text, DateTimeOffset now)
    {
        var value = text.Trim();
        if (value.Length >= 2 && long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? span = char.ToLowerInvariant(value[^1]) switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (span is not null) return now - span.Value;
        }
        // A time without an offset is taken as UTC, like the times `status --json` prints.
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }
        throw new CliException($"--since '{text}' is neither an ISO 8601 time (2026-01-31T10:00:00Z) nor a relative time (30s, 5m, 2h, 1d)");
    }
}
