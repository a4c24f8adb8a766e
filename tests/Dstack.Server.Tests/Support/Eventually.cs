namespace Dstack.Server.Tests.Support;

/// <summary>Waits for a condition with a bound: the tests never sleep a fixed time to let something happen.</summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? bound = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (bound ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what ?? "the condition"}; last value: {value}");
            await Task.Delay(20);
        }
    }

    public static Task Until(Func<bool> condition, TimeSpan? bound = null, string? what = null) =>
        Until(() => Task.FromResult(condition()), ok => ok, bound, what);
}
