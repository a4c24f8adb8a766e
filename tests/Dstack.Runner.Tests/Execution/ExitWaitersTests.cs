using System.Runtime.InteropServices;
using Dstack.Runner.Execution;
using Dstack.Runner.Tests.Support;

namespace Dstack.Runner.Tests.Execution;

public sealed class ExitWaitersTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private SessionProcess Start(string script) => SessionProcess.Start("bash", ["bash", "-c", script], _temp.Path, [], []);

    [Fact]
    public async Task ChildrenAtOnce_EachGetTheirOwnExitCode()
    {
        var children = Enumerable.Range(0, 6).Select(i => Start($"sleep 0.{i}; exit {i + 10}")).ToList();

        var codes = await Task.WhenAll(children.Select(c => c.Exited)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([10, 11, 12, 13, 14, 15], codes);
        Assert.Equal(128 + 9, await Start("kill -9 $$").Exited.WaitAsync(TimeSpan.FromSeconds(30)));
        foreach (var child in children) child.Dispose();
    }

    [Fact]
    public async Task ChildrenOneAfterAnother_ReuseTheWaitingThreads()
    {
        var reapedOn = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(0, SpawnExiting(3, out var pid));
            var exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            ExitWaiters.Wait(pid, code =>
            {
                lock (reapedOn) reapedOn.Add(new DirectoryInfo("/proc/thread-self").LinkTarget!); // "PID/task/TID"
                exited.SetResult(code);
            });
            Assert.Equal(3, await exited.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        }

        // A thread started per child would give 20 (other tests' children may keep a few more busy at times).
        Assert.InRange(reapedOn.Distinct().Count(), 1, 10);
    }

    /// <summary>`sh -c 'exit CODE'` started without .NET (which would reap it itself): the test's own posix_spawnp.</summary>
    private static int SpawnExiting(int code, out int pid) =>
        posix_spawnp(out pid, "sh", IntPtr.Zero, IntPtr.Zero, ["sh", "-c", $"exit {code}", null], [null]);

    [DllImport("libc", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int posix_spawnp(out int pid, string file, IntPtr actions, IntPtr attributes, string?[] argv, string?[] envp);
}
