using Dstack.Runner.Execution;

namespace Dstack.Runner.Tests.Execution;

public sealed class ExitStatusTests
{
    [Theory]
    [InlineData(137, "SIGKILL")]
    [InlineData(143, "SIGTERM")]
    [InlineData(139, "SIGSEGV")]
    [InlineData(1, null)]
    [InlineData(200, null)]
    public void SignalNamesComeFromExitCodesAbove128(int exitCode, string? signal) =>
        Assert.Equal(signal, PosixSignals.NameFromExitCode(exitCode));

    [Fact]
    public void TheReasonNamesTheSignalOrTheExitCode()
    {
        Assert.Equal("killed by SIGTERM", new ExitStatus(143).Describe());
        Assert.Equal("exit code 3", new ExitStatus(3).Describe());
        Assert.True(new ExitStatus(0).Succeeded);
    }
}
