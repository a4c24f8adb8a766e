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
    public void Read_IsNull_ForAProcessThatDoesNotExist() => Assert.Null(ProcessTable.Read(int.MaxValue));

    public void Dispose() => _temp.Dispose();
}
