namespace Dstack.EndToEnd.Tests.Infrastructure;

/// <summary>Waits for a condition with a bound: tests never sleep a fixed time to wait for something.</summary>
public static class Eventually
{
    public static T Until<T>(Func<T?> probe, TimeSpan timeout, string what) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = probe();
            if (value is not null) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out after {timeout.TotalSeconds} s waiting for {what}");
            Thread.Sleep(50);
        }
    }

    public static void Until(Func<bool> condition, TimeSpan timeout, string what) =>
        Until(() => condition() ? "" : null, timeout, what);
}
