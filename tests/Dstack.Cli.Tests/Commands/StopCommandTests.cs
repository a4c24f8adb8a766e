using Dstack.Cli.Commands;
using Dstack.Cli.Tests.Support;

namespace Dstack.Cli.Tests.Commands;

/// <summary>`dstack stop` options: bad ones are refused before any server is contacted (none is started: DSTACK_HOME stays absent).</summary>
public class StopCommandTests
{
    private static async Task<CliHarness.Result> RefusedAsync(params string[] args)
    {
        using var folder = new TempFolder();
        var result = await CliHarness.RunAsync(folder.Path, args);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, ".dstack-home-unused")), "no server may be started for a refused command");
        return result;
    }

    [Fact]
    public async Task GraceWithAbort_IsRefused_BecauseAnAbortHasNoGrace() =>
        Assert.Equal(
            "--grace 5 goes with a graceful stop, and --abort kills at once without one: drop one of them\n",
            (await RefusedAsync("stop", "--abort", "--grace", "5", "fast-rabbit-1")).Error);

    [Fact]
    public async Task TheShortAbortOption_IsRefusedWithGraceToo() =>
        Assert.Contains("--abort kills at once", (await RefusedAsync("stop", "-a", "--grace", "0", "fast-rabbit-1")).Error, StringComparison.Ordinal);

    [Fact]
    public async Task ANegativeGrace_IsRefused() =>
        Assert.Equal("--grace -1: give the seconds between SIGTERM and SIGKILL, 0 or more\n", (await RefusedAsync("stop", "--grace", "-1", "fast-rabbit-1")).Error);

    [Fact]
    public async Task AGraceThatIsNotAWholeNumber_IsRefused_NamingTheOption() =>
        Assert.Equal("--grace '2.5' is not a whole number\nsee `dstack stop --help`\n", (await RefusedAsync("stop", "--grace", "2.5", "fast-rabbit-1")).Error);

    [Fact]
    public async Task AStopWithoutARunOrJob_IsRefused() =>
        Assert.Contains("see `dstack stop --help`", (await RefusedAsync("stop", "--wait")).Error, StringComparison.Ordinal);

    [Fact]
    public async Task GoodOptions_GoOnToTheServer()
    {
        using var folder = new TempFolder();
        var env = new Dictionary<string, string?> { ["DSTACK_SERVER_URL"] = "http://127.0.0.1:9", ["DSTACK_TOKEN"] = "t" };

        var result = await CliHarness.RunAsync(folder.Path, env, "stop", "-w", "--grace", "0", "fast-rabbit-1");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("cannot reach the dstack server: ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(false, 30)]
    [InlineData(true, null)]
    public void TheRequest_CarriesAbortAndGrace(bool abort, int? grace)
    {
        var request = StopCommand.Request(new StopCommand.Settings("fast-rabbit-1", abort, grace, Wait: false));

        Assert.Equal(abort, request.Abort);
        Assert.Equal(grace, request.GraceSeconds);
    }

    [Fact]
    public void StopHasAbortGraceAndWait_WithTheirShortForms()
    {
        var stop = Dstack.Cli.Hosting.CliApp.Build(null!, []).Subcommands.Single(c => c.Name == "stop");

        Assert.Equal(["--abort", "--grace", "--wait"], stop.Options.Select(o => o.Name).Order());
        Assert.Contains("-a", stop.Options.Single(o => o.Name == "--abort").Aliases);
        Assert.Contains("-w", stop.Options.Single(o => o.Name == "--wait").Aliases);
    }
}
