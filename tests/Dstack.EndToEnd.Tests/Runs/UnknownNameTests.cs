using Dstack.EndToEnd.Tests.Infrastructure;

namespace Dstack.EndToEnd.Tests.Runs;

public class UnknownNameTests
{
    [Theory]
    [InlineData("status", "lazy-walrus-9")]
    [InlineData("logs", "lazy-walrus-9")]
    [InlineData("logs", "0123456789ab")]
    [InlineData("artifacts", "lazy-walrus-9")]
    [InlineData("artifacts", "0123456789ab")]
    public void ACommandNamingAnUnknownRunOrJob_SaysSo_AndFails(string command, string name)
    {
        using var sandbox = new DstackSandbox().WithWorkflows("workflows:\n  - name: a\n    commands: [echo]\n").Initialised();
        var result = sandbox.Dstack(command, name);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(name, result.Stderr);
    }
}
