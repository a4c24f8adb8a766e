using Dstack.Cli.Tests.Support;

namespace Dstack.Cli.Tests.Commands;

/// <summary>`dstack run` up to the point where it needs a server: help, argument and file errors, git checks.</summary>
public class RunCommandTests
{
    private static GitRepoFixture PushedRepoWithWorkflows()
    {
        var repo = new GitRepoFixture();
        SampleWorkflows.WriteTo(repo);
        repo.CommitAll();
        repo.Push();
        return repo;
    }

    [Fact]
    public async Task RunHelpListsTheWorkflowsOfTheRepository()
    {
        using var repo = PushedRepoWithWorkflows();
        var result = await CliHarness.RunAsync(repo.Root, "run", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith(
            "usage: dstack run {download-model,encode-dataset,finetune-model} ...\n\npositional arguments:\n" +
            "    download-model      run download-model workflow\n" +
            "    encode-dataset      run encode-dataset workflow\n" +
            "    finetune-model      run finetune-model workflow\n",
            result.Out);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task RunAloneListsTheWorkflowsAndFails()
    {
        using var repo = PushedRepoWithWorkflows();
        var result = await CliHarness.RunAsync(Path.Combine(repo.Root, ".dstack"), "run");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("usage: dstack run {download-model,encode-dataset,finetune-model} ...", result.Error);
    }

    [Fact]
    public async Task WorkflowHelpListsEveryVariableWithItsDefault()
    {
        using var repo = PushedRepoWithWorkflows();
        var result = await CliHarness.RunAsync(repo.Root, "run", "download-model", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "usage: dstack run download-model [--model [MODEL]] [--models_dir [MODELS_DIR]] [-f] [--no-cache] [--dry-run]\n\n" +
            "optional arguments:\n" +
            "  --model       [MODEL]       default is 124M\n" +
            "  --models_dir  [MODELS_DIR]  default is model\n" +
            "  -f, --follow                stream the run's logs until it ends (Ctrl-C detaches; the run goes on)\n" +
            "  --no-cache                  run every job afresh, even one whose code, variables and dependencies match a DONE job\n" +
            "  --dry-run                   show which jobs the run would create, reuse or wait for, and why; submit nothing\n",
            result.Out);
    }

    [Fact]
    public async Task WorkflowHelpIncludesTheVariablesOfItsDependenciesAndItsOwn()
    {
        using var repo = PushedRepoWithWorkflows();
        var result = await CliHarness.RunAsync(repo.Root, "run", "finetune-model", "-h");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("  --learning_rate  [LEARNING_RATE]  default is 0.00002\n", result.Out);
        Assert.Contains("  --model          [MODEL]          default is 124M\n", result.Out);
    }

    [Fact]
    public async Task AnUnknownWorkflowIsAnErrorListingTheWorkflows()
    {
        using var repo = PushedRepoWithWorkflows();
        var result = await CliHarness.RunAsync(repo.Root, "run", "train");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("unknown workflow 'train': the workflows are download-model, encode-dataset, finetune-model\n", result.Error);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task AnUnknownOptionIsAnErrorListingTheValidOnes()
    {
        using var repo = PushedRepoWithWorkflows();
        var result = await CliHarness.RunAsync(repo.Root, "run", "download-model", "--batch", "3");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unknown option --batch for workflow download-model: its options are --model, --models_dir, -f/--follow, --no-cache, --dry-run", result.Error);
    }

    [Fact]
    public async Task InvalidWorkflowFilesArePrintedAsFileLineColumnAndNothingIsSent()
    {
        using var repo = new GitRepoFixture();
        repo.Write(".dstack/workflows.yaml", "workflows:\n  - name: a\n    commands: [echo]\n    depends-on: [missing]\n  - name: a\n    commands: [echo]\n");
        repo.CommitAll();
        repo.Push();
        var result = await CliHarness.RunAsync(repo.Root, "run", "a");
        Assert.Equal(1, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= 2, result.Error);
        Assert.All(lines, l => Assert.Matches(@"^\.dstack/workflows\.yaml:\d+:\d+: ", l));
        Assert.False(Directory.Exists(Path.Combine(repo.Root, ".dstack-home-unused")), "no server was started");
    }

    [Fact]
    public async Task OutsideAGitRepositoryRunSaysWhereToRunIt()
    {
        using var folder = new TempFolder();
        var result = await CliHarness.RunAsync(folder.Path, "run", "--help");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("not a git repository: run dstack from the folder of your repository\n", result.Error);
    }

    [Fact]
    public async Task ACommitThatIsNotOnTheRemoteIsRefusedBeforeAnyServerIsStarted()
    {
        using var repo = PushedRepoWithWorkflows();
        repo.Write("new.txt", "x");
        var commit = repo.CommitAll();
        var result = await CliHarness.RunAsync(repo.Root, "run", "download-model");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"commit {commit[..7]} is not on the remote: push it first (git push)\n", result.Error);
        Assert.False(Directory.Exists(Path.Combine(repo.Root, ".dstack-home-unused")));
    }

    [Fact]
    public async Task ARepositoryWithoutRemoteIsRefused()
    {
        using var repo = new GitRepoFixture(withRemote: false);
        SampleWorkflows.WriteTo(repo);
        repo.CommitAll();
        var result = await CliHarness.RunAsync(repo.Root, "run", "download-model");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("the repository has no remote: add one (git remote add origin URL) and push\n", result.Error);
    }

    [Fact]
    public async Task TooManyUntrackedBytesAreRefusedNamingTheLargestFile()
    {
        using var repo = PushedRepoWithWorkflows();
        repo.WriteBytes("weights.bin", new byte[2 * 1024 * 1024]);
        var result = await CliHarness.RunAsync(repo.Root, new Dictionary<string, string?> { ["DSTACK_MAX_UNTRACKED_MB"] = "1" }, "run", "download-model");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("weights.bin (2 MB)", result.Error);
    }

    [Fact]
    public async Task RunHelpListsNoCacheAndDryRun()
    {
        using var repo = PushedRepoWithWorkflows();
        var result = await CliHarness.RunAsync(repo.Root, "run", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains(
            "optional arguments:\n" +
            "  -f, --follow  stream the run's logs until it ends (Ctrl-C detaches; the run goes on)\n" +
            "  --no-cache    run every job afresh, even one whose code, variables and dependencies match a DONE job\n" +
            "  --dry-run     show which jobs the run would create, reuse or wait for, and why; submit nothing\n",
            result.Out);
    }

    [Theory]
    [InlineData("no-cache")]
    [InlineData("dry-run")]
    public async Task AVariableNamedLikeARunFlagIsRefusedWithItsFileAndLine(string name)
    {
        using var repo = new GitRepoFixture();
        repo.Write(".dstack/workflows.yaml", SampleWorkflows.WorkflowsYaml);
        repo.Write(".dstack/variables.yaml", $"variables:\n  global:\n    model: 124M\n  download-model:\n    {name}: 1\n");
        repo.CommitAll();
        repo.Push();
        var result = await CliHarness.RunAsync(repo.Root, "run", "download-model", $"--{name}");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $".dstack/variables.yaml:5:5: variable '{name}' in 'variables: download-model' has the name of an option of 'dstack run' itself (--{name}); " +
            "rename the variable (taken names: help, h, follow, f, no-cache, dry-run, version, detach).\n",
            result.Error);
        Assert.False(Directory.Exists(Path.Combine(repo.Root, ".dstack-home-unused")), "no server was started");
    }

    [Fact]
    public async Task ADryRunOfACommitNotOnTheRemoteIsRefusedLikeARun()
    {
        using var repo = PushedRepoWithWorkflows();
        repo.Write("new.txt", "x");
        var commit = repo.CommitAll();
        var result = await CliHarness.RunAsync(repo.Root, "run", "download-model", "--dry-run");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"commit {commit[..7]} is not on the remote: push it first (git push)\n", result.Error);
        Assert.False(Directory.Exists(Path.Combine(repo.Root, ".dstack-home-unused")));
    }

    [Fact]
    public async Task ADryRunRefusesTooManyUntrackedBytesLikeARun()
    {
        using var repo = PushedRepoWithWorkflows();
        repo.WriteBytes("weights.bin", new byte[2 * 1024 * 1024]);
        var result = await CliHarness.RunAsync(repo.Root, new Dictionary<string, string?> { ["DSTACK_MAX_UNTRACKED_MB"] = "1" }, "run", "download-model", "--dry-run");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("weights.bin (2 MB)", result.Error);
    }

    [Fact]
    public async Task AFollowedDryRunIsRefusedBeforeAnyServerIsStarted()
    {
        using var repo = PushedRepoWithWorkflows();
        var result = await CliHarness.RunAsync(repo.Root, "run", "download-model", "--dry-run", "-f");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("--dry-run submits nothing, so there is nothing to follow: drop -f/--follow\n", result.Error);
        Assert.False(Directory.Exists(Path.Combine(repo.Root, ".dstack-home-unused")));
    }
}
