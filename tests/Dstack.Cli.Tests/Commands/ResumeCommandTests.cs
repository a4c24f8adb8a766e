using System.Net;
using Dstack.Cli.Hosting;
using Dstack.Cli.Terminal;
using Dstack.Cli.Tests.Support;
using Dstack.Contracts.Client;

namespace Dstack.Cli.Tests.Commands;

public class ResumeCommandTests
{
    [Fact]
    public async Task AResumeWithoutAJob_IsRefused()
    {
        using var folder = new TempFolder();

        var result = await CliHarness.RunAsync(folder.Path, "resume");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("see `dstack resume --help`", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, ".dstack-home-unused")));
    }

    [Fact]
    public async Task AResumeWithTwoJobs_IsRefused()
    {
        using var folder = new TempFolder();

        var result = await CliHarness.RunAsync(folder.Path, "resume", "53881a211647", "0a1b2c3d4e5f");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Unrecognized command or argument '0a1b2c3d4e5f'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerThatCannotBeReached_IsOneLine()
    {
        using var folder = new TempFolder();
        var env = new Dictionary<string, string?> { ["DSTACK_SERVER_URL"] = "http://127.0.0.1:9", ["DSTACK_TOKEN"] = "t" };

        var result = await CliHarness.RunAsync(folder.Path, env, "resume", "53881a211647");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("cannot reach the dstack server: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheServersRefusal_IsPrintedAsItsReason_WithExitCode1()
    {
        var error = new StringWriter();
        var console = new CliConsole { Out = TextWriter.Null, OutBytes = Stream.Null, Error = error, Ansi = new(() => CliConsole.CreateAnsi(TextWriter.Null, false)) };
        const string reason = "job 53881a211647 is FAILED: only a STOPPED job can be resumed";

        var code = await UserErrorBoundary.RunAsync(console, () => throw new DstackApiException(HttpStatusCode.Conflict, reason));

        Assert.Equal(1, code);
        Assert.Equal(reason + "\n", error.ToString());
    }
}
