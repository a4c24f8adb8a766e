using Dstack.Cli.Tests.Support;
using Dstack.Contracts;

namespace Dstack.Cli.Tests.Commands;

/// <summary>Commands that fail on bad input before any server is involved: one clear line, exit 1.</summary>
public class CommandErrorTests
{
    [Fact]
    public async Task VersionPrintsTheNameAndVersion()
    {
        using var folder = new TempFolder();
        var result = await CliHarness.RunAsync(folder.Path, "--version");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"dstack {BuildInfo.Version}\n", result.Out);
    }

    [Fact]
    public async Task InitWithAMissingKeyFileNamesTheFile()
    {
        using var folder = new TempFolder();
        var result = await CliHarness.RunAsync(folder.Path, "init", "--private-key", "nope/id_ed25519");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"the private key file {Path.Combine(folder.Path, "nope/id_ed25519")} does not exist: give the path of your SSH key (e.g. ~/.ssh/id_ed25519)\n", result.Error);
    }

    [Fact]
    public async Task InitRefusesAPublicKeyWithoutPrintingIt()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "id.pub"), "ssh-ed25519 AAAASECRETLOOKING user@host");
        var result = await CliHarness.RunAsync(folder.Path, "init", "--private-key", "id.pub");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not a private key", result.Error);
        Assert.DoesNotContain("AAAASECRETLOOKING", result.Error + result.Out);
    }

    [Fact]
    public async Task InitRefusesATokenAndAKeyTogether()
    {
        using var folder = new TempFolder();
        var result = await CliHarness.RunAsync(folder.Path, "init", "--token", "s3cr3t", "--private-key", "k");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--token and --private-key exclude each other", result.Error);
        Assert.DoesNotContain("s3cr3t", result.Error + result.Out);
    }

    [Fact]
    public async Task InitRefusesAPassphraseWithoutAKey()
    {
        using var folder = new TempFolder();
        var result = await CliHarness.RunAsync(folder.Path, "init", "--passphrase", "pw");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--passphrase goes with --private-key", result.Error);
    }

    [Fact]
    public async Task InitOutsideARepositorySaysSo()
    {
        using var folder = new TempFolder();
        var result = await CliHarness.RunAsync(folder.Path, "init");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("not a git repository: run dstack from the folder of your repository\n", result.Error);
    }

    [Fact]
    public async Task StatusOutsideARepositorySaysSo()
    {
        using var folder = new TempFolder();
        var result = await CliHarness.RunAsync(folder.Path, "status");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("not a git repository: run dstack from the folder of your repository\n", result.Error);
    }

    [Fact]
    public async Task StatusRefusesANonPositiveLast()
    {
        using var folder = new TempFolder();
        var result = await CliHarness.RunAsync(folder.Path, "status", "--last", "0");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--last 0", result.Error);
    }

    [Fact]
    public async Task LogsRefusesABadSinceBeforeContactingAnyServer()
    {
        using var folder = new TempFolder();
        var result = await CliHarness.RunAsync(folder.Path, "logs", "-s", "soon", "fast-rabbit-1");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--since 'soon'", result.Error);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, ".dstack-home-unused")));
    }

    [Fact]
    public async Task AServerUrlWithoutTokenIsRefused()
    {
        using var folder = new TempFolder();
        var result = await CliHarness.RunAsync(folder.Path, new Dictionary<string, string?> { ["DSTACK_SERVER_URL"] = "http://127.0.0.1:1" }, "logs", "fast-rabbit-1");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("DSTACK_SERVER_URL is set but DSTACK_TOKEN is not: set DSTACK_TOKEN to your API token\n", result.Error);
    }

    [Fact]
    public async Task AServerThatCannotBeReachedIsOneLine()
    {
        using var folder = new TempFolder();
        var env = new Dictionary<string, string?> { ["DSTACK_SERVER_URL"] = "http://127.0.0.1:9", ["DSTACK_TOKEN"] = "t" };
        var result = await CliHarness.RunAsync(folder.Path, env, "logs", "fast-rabbit-1");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("cannot reach the dstack server: ", result.Error);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task ARunnerWithoutTokenIsRefused()
    {
        using var folder = new TempFolder();
        var result = await CliHarness.RunAsync(folder.Path, new Dictionary<string, string?> { ["DSTACK_RUNNER_TOKEN"] = null }, "runner", "--server", "http://127.0.0.1:1");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("DSTACK_RUNNER_TOKEN is not set: set it to the runner token of your server\n", result.Error);
    }

    [Fact]
    public async Task ARunnerWithoutServerIsRefused()
    {
        using var folder = new TempFolder();
        var result = await CliHarness.RunAsync(folder.Path, new Dictionary<string, string?> { ["DSTACK_RUNNER_TOKEN"] = "t" }, "runner");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--server URL is missing", result.Error);
    }

    [Fact]
    public async Task AValueOfTheWrongTypeNamesTheOptionWithoutTheWholeHelp()
    {
        using var folder = new TempFolder();
        var result = await CliHarness.RunAsync(folder.Path, "status", "--last", "abc");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("--last 'abc' is not a whole number\nsee `dstack status --help`\n", result.Error);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task AnUnknownCommandIsNamed()
    {
        using var folder = new TempFolder();
        var result = await CliHarness.RunAsync(folder.Path, "server", "stop", "--bad");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Unrecognized command or argument '--bad'.\nsee `dstack server stop --help`\n", result.Error);
    }

    [Fact]
    public async Task AMissingArgumentIsNamed()
    {
        using var folder = new TempFolder();
        var result = await CliHarness.RunAsync(folder.Path, "logs");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("see `dstack logs --help`", result.Error);
    }

    [Fact]
    public async Task DstackAloneShowsTheCommands()
    {
        using var folder = new TempFolder();
        var result = await CliHarness.RunAsync(folder.Path);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("artifacts", result.Out);
        Assert.Contains("status", result.Out);
    }

    [Fact]
    public async Task AReaderThatWentAwayEndsTheCommandQuietly()
    {
        var error = new StringWriter();
        var console = new Dstack.Cli.Terminal.CliConsole { Out = TextWriter.Null, OutBytes = Stream.Null, Error = error, Ansi = new(() => Dstack.Cli.Terminal.CliConsole.CreateAnsi(TextWriter.Null, false)) };
        var code = await Dstack.Cli.Hosting.UserErrorBoundary.RunAsync(console, () => throw new IOException("Broken pipe"));
        Assert.Equal(141, code);
        Assert.Equal("", error.ToString());
    }
}
