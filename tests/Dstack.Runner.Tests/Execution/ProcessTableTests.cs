using System.Diagnostics;
using Dstack.Runner.Execution;
using Dstack.Runner.Tests.Support;

namespace Dstack.Runner.Tests.Execution;

public sealed class ProcessTableTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void Read_ParsesTheStatLine_WhenTheCommandNameHoldsSpacesAndParentheses()
    {
        // The kernel's command name is the executable's file name: a copy of sleep named to trip a naive parser.
        var odd = _temp.Combine("a) (b c");
        File.Copy("/bin/sleep", odd);
        File.SetUnixFileMode(odd, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var process = Process.Start(new ProcessStartInfo(odd, ["30"]) { UseShellExecute = false })!;
        try
        {
            var entry = ProcessTable.Read(process.Id);

            Assert.NotNull(entry);
            Assert.Equal(Environment.ProcessId, entry.ParentPid);
            Assert.Equal(ProcessTable.Read(Environment.ProcessId)!.SessionId, entry.SessionId);
            Assert.False(entry.IsZombie);
            Assert.True(entry.StartTicks >= ProcessTable.Read(Environment.ProcessId)!.StartTicks);
            Assert.Contains(ProcessTable.All(), e => e.Pid == process.Id);
        }
        finally
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    [Fact]
    public async Task Descendants_ListsChildrenAndTheirChildren()
    {
        var pidFile = _temp.Combine("grandchild.pid");
        using var shell = Process.Start(new ProcessStartInfo("sh", ["-c", $"sleep 30 & echo $! > {pidFile}; wait"]) { UseShellExecute = false })!;
        try
        {
            await Wait.UntilAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0, TimeSpan.FromSeconds(10), "the grandchild to start");
            var grandchild = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);

            var below = ProcessTable.Descendants(Environment.ProcessId);

            Assert.NotNull(below);
            Assert.Contains(below, e => e.Pid == shell.Id);
            Assert.Contains(below, e => e.Pid == grandchild && e.ParentPid == shell.Id);
            Assert.DoesNotContain(below, e => e.Pid == Environment.ProcessId);
        }
        finally
        {
            shell.Kill(entireProcessTree: true);
            await shell.WaitForExitAsync();
        }
    }

    [Fact]
    public void Read_IsNull_ForAProcessThatDoesNotExist() => Assert.Null(ProcessTable.Read(int.MaxValue));

    public void Dispose() => _temp.Dispose();
}
