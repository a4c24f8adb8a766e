namespace Dstack.Server.Storage;

/// <summary>Times are stored as UTC ticks (INTEGER): exact, sortable, and cheap to compare in SQL.</summary>
public static class DbTime
{
    public static long ToDb(DateTimeOffset time) => time.UtcTicks;

    public static DateTimeOffset FromDb(long ticks) => new(ticks, TimeSpan.Zero);

    public static DateTimeOffset? FromDb(long? ticks) => ticks is null ? null : FromDb(ticks.Value);
}
