namespace Dstack.Runner.Tests.Support;

/// <summary>Waits on a condition with a bound, never a fixed sleep.</summary>
public static class Wait
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out after {timeout.TotalSeconds}s waiting for {what}");
            await Task.Delay(10);
        }
    }
}
