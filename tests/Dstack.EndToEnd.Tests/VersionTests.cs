using Dstack.EndToEnd.Tests.Infrastructure;

namespace Dstack.EndToEnd.Tests;

public class VersionTests
{
    [Fact]
    public void Version_PrintsTheInstalledVersion()
    {
        using var sandbox = new DstackSandbox();
        var result = sandbox.Ok("--version");
        Assert.Matches(@"^dstack \d+\.\d+\.\d+", result.Stdout.Trim());
    }
}
