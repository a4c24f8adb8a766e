namespace Dstack.Cli.Status;

/// <summary>"now", "12 sec ago", "1 min ago", "3 hours ago", "2 days ago": how `status` shows times.</summary>
public static class RelativeTime
{
    public static string Format(DateTimeOffset time, DateTimeOffset now)
    {
        var ago = now - time;
        if (ago < TimeSpan.FromSeconds(1)) return "now"; // also a little clock skew between server and CLI
        if (ago < TimeSpan.FromMinutes(1)) return $"{(int)ago.TotalSeconds} sec ago";
        if (ago < TimeSpan.FromHours(1)) return $"{(int)ago.TotalMinutes} min ago";
        if (ago < TimeSpan.FromDays(1)) return Plural((int)ago.TotalHours, "hour");
        return Plural((int)ago.TotalDays, "day");
    }

    private static string Plural(int n, string unit) => n == 1 ? $"1 {unit} ago" : $"{n} {unit}s ago";
}
