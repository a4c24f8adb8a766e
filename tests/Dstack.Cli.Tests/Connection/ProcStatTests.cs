using System.Diagnostics;
using Dstack.Cli.Tests.Support;
using Dstack.Contracts.Server;

namespace Dstack.Cli.Tests.Connection;

public class ProcStatTests
{
    [Fact]
    public void ThisProcessIsRunning_AndStartedBeforeAChildItStarts()
    {
        var self = ProcStat.Read(Environment.ProcessId);
        Assert.NotNull(self);
        Assert.False(self.Value.HasExited);
        using var child = Process.Start("sleep", "30");
        try
        {
            var stat = ProcStat.Read(child.Id);
            Assert.True(stat?.StartTicks >= self.Value.StartTicks);
        }
        finally
        {
            child.Kill();
            child.WaitForExit();
        }
    }

    [Fact]
    public void ANameWithSpacesAndParentheses_DoesNotShiftTheFields()
    {
        using var folder = new TempFolder();
        var odd = Path.Combine(folder.Path, "a) b (c");
        File.Copy("/bin/sleep", odd);
        File.SetUnixFileMode(odd, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        using var child = Process.Start(odd, "30");
        try
        {
            var stat = ProcStat.Read(child.Id);
            Assert.NotNull(stat);
            Assert.Contains(stat.Value.State, "RSD");
            Assert.True(stat.Value.StartTicks >= ProcStat.Read(Environment.ProcessId)!.Value.StartTicks);
        }
        finally
        {
            child.Kill();
            child.WaitForExit();
        }
    }

    [Fact]
    public void NoSuchProcessIsNull() => Assert.Null(ProcStat.Read(int.MaxValue));
}
