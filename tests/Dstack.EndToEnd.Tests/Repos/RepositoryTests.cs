using Dstack.EndToEnd.Tests.Infrastructure;

namespace Dstack.EndToEnd.Tests.Repos;

public class RepositoryTests
{
    private const string Yaml = "workflows:\n  - name: a\n    commands: [echo a]\n";

    [Fact]
    public void Run_InARepositoryThatIsNotInitialised_SaysToRunInit()
    {
        using var sandbox = new DstackSandbox().WithWorkflows(Yaml);
        var result = sandbox.Dstack("run", "a");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("dstack init", result.Stderr);
    }

    [Fact]
    public void Run_OutsideAGitRepository_IsAClearError()
    {
        using var sandbox = new DstackSandbox();
        var elsewhere = Directory.CreateDirectory(Path.Combine(sandbox.Root, "not-a-repo")).FullName;
        var result = sandbox.DstackIn(elsewhere, "run", "a");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("not a git repository", result.Stderr);
        Assert.NotEqual(0, sandbox.DstackIn(elsewhere, "init").ExitCode);
    }

    [Fact]
    public void Status_OutsideAGitRepository_IsAClearError_AndStartsNoServer()
    {
        using var sandbox = new DstackSandbox();
        var elsewhere = Directory.CreateDirectory(Path.Combine(sandbox.Root, "not-a-repo")).FullName;

        var result = sandbox.DstackIn(elsewhere, "status");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not a git repository", result.Stderr);
        Assert.False(File.Exists(Path.Combine(sandbox.Home, "server.json")), "a server was started for a command that could not run");
    }

    [Fact]
    public void Init_WithoutARemote_IsAClearError()
    {
        using var sandbox = new DstackSandbox();
        sandbox.Repo.Git("remote", "remove", "origin");
        var result = sandbox.Dstack("init");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no remote", result.Stderr);
    }

    [Fact]
    public void Run_OfACommitThatIsNotOnTheRemote_SaysToPushIt()
    {
        using var sandbox = new DstackSandbox().WithWorkflows(Yaml).Initialised();
        sandbox.Repo.Write("new.txt", "x").CommitAll("not pushed");
        var result = sandbox.Dstack("run", "a");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("push", result.Stderr);
        Assert.Empty(sandbox.Status("--last", "5"));
    }

    [Fact]
    public void Run_RefusesUntrackedFilesAboveTheLimit_NamingTheLargest()
    {
        using var sandbox = new DstackSandbox().WithWorkflows(Yaml).Initialised();
        sandbox.Environment["DSTACK_MAX_UNTRACKED_MB"] = "1";
        File.WriteAllBytes(Path.Combine(sandbox.Repo.Path, "big-dataset.bin"), new byte[3 * 1024 * 1024]);
        sandbox.Repo.Write("small.txt", "x");

        var result = sandbox.Dstack("run", "a");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("big-dataset.bin", result.Stderr);
        Assert.Empty(sandbox.Status("--last", "5"));
    }

    [Fact]
    public void Init_WithAToken_StoresItEncrypted_AndNeverPrintsIt()
    {
        const string secret = "ghp_SuperSecretToken1234567890";
        using var sandbox = new DstackSandbox().WithWorkflows(Yaml);
        var result = sandbox.Ok("init", "--token", secret);
        Assert.DoesNotContain(secret, result.Stdout + result.Stderr);

        var stored = Directory.EnumerateFiles(sandbox.Home, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".lock", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains(secret, StringComparison.Ordinal))
            .ToList();
        Assert.Empty(stored);
        var status = sandbox.Ok("status", "--json");
        Assert.DoesNotContain(secret, status.Stdout);
    }

    [Fact]
    public void Init_WithATokenInsideTheRemoteUrl_StoresItEncrypted_AndKeepsTheUrlWithoutIt()
    {
        const string secret = "ghp_TokenInTheUrl0987654321";
        using var sandbox = new DstackSandbox();
        sandbox.Repo.Git("remote", "set-url", "origin", $"https://x-access-token:{secret}@git.example.com/team/repo.git");
        var result = sandbox.Ok("init");
        Assert.Contains("https://git.example.com/team/repo.git", result.Stdout);
        Assert.DoesNotContain(secret, result.Stdout + result.Stderr);
        Assert.Contains("token", result.Stderr);
        Assert.DoesNotContain(Directory.EnumerateFiles(sandbox.Home, "*", SearchOption.AllDirectories),
            f => !f.EndsWith(".lock", StringComparison.Ordinal) && File.ReadAllText(f).Contains(secret, StringComparison.Ordinal));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(sandbox.Home));
    }

    [Fact]
    public void Init_WithAMissingPrivateKey_IsAClearError()
    {
        using var sandbox = new DstackSandbox().WithWorkflows(Yaml);
        var result = sandbox.Dstack("init", "--private-key", Path.Combine(sandbox.Root, "no-such-key"));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no-such-key", result.Stderr);
    }
}
