namespace Dstack.Server.Tests.Support;

/// <summary>A clock the test moves by hand. Timers still tick in real time (they only pace the server's loops); "now" is ours.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
