using Dstack.Cli.Tests.Support;

namespace Dstack.Cli.Tests.Commands;

/// <summary>tag, untag and prune refuse bad arguments before any server is involved: what is wrong, where to look, exit 1.</summary>
public class TagAndPruneArgumentTests
{
    [Theory]
    [InlineData("tag")]
    [InlineData("tag", "fast-rabbit-1")]
    [InlineData("untag")]
    public async Task AMissingArgumentIsAUsageError(params string[] args)
    {
        using var folder = new TempFolder();
        var result = await CliHarness.RunAsync(folder.Path, args);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Required argument missing", result.Error);
        Assert.EndsWith($"see `dstack {args[0]} --help`\n", result.Error);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, ".dstack-home-unused")), "no server was started");
    }

    [Theory]
    [InlineData("tag", "fast-rabbit-1", "latest", "extra")]
    [InlineData("untag", "latest", "extra")]
    [InlineData("prune", "fast-rabbit-1")]
    [InlineData("prune", "--force")]
    public async Task AnExtraArgumentIsAUsageError(params string[] args)
    {
        using var folder = new TempFolder();
        var result = await CliHarness.RunAsync(folder.Path, args);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Unrecognized command or argument '{args[^1]}'", result.Error);
        Assert.EndsWith($"see `dstack {args[0]} --help`\n", result.Error);
    }

    [Theory]
    [InlineData("untag", "latest")]
    [InlineData("prune")]
    [InlineData("prune", "--dry-run")]
    public async Task OutsideARepositoryTheRepositoryCommandsSaySo(params string[] args)
    {
        using var folder = new TempFolder();
        var result = await CliHarness.RunAsync(folder.Path, args);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("not a git repository: run dstack from the folder of your repository\n", result.Error);
    }

    [Fact]
    public async Task PruneInARepositoryWithoutRemoteSaysHowToAddOne()
    {
        using var repo = new GitRepoFixture(withRemote: false);
        var result = await CliHarness.RunAsync(repo.Root, "prune");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("the repository has no remote: add one (git remote add origin URL) and push\n", result.Error);
    }

    [Theory]
    [InlineData("tag", "RUN", "NAME")]
    [InlineData("untag", "NAME")]
    [InlineData("prune", "--dry-run")]
    public async Task HelpDescribesTheCommandAndItsArguments(string command, params string[] mentioned)
    {
        using var folder = new TempFolder();
        var result = await CliHarness.RunAsync(folder.Path, command, "--help");
        Assert.Equal(0, result.ExitCode);
        // The usage line names the host process (testhost here), so only the command's own part is checked.
        Assert.Contains($" {command} ", result.Out);
        Assert.StartsWith("Description:\n  ", result.Out);
        Assert.All(mentioned, m => Assert.Contains(m, result.Out));
    }

    [Fact]
    public async Task TheCommandListShowsTagUntagAndPrune()
    {
        using var folder = new TempFolder();
        var result = await CliHarness.RunAsync(folder.Path, "--help");
        Assert.Matches(@"\n\s+tag <RUN> <NAME>\s+Tag a run", result.Out);
        Assert.Matches(@"\n\s+untag <NAME>\s+Remove a tag", result.Out);
        Assert.Matches(@"\n\s+prune\s+Remove this repository's finished runs", result.Out);
    }
}
