using System.Formats.Tar;
using System.Text;
using Dstack.Cli.Git;
using Dstack.Cli.Terminal;
using Dstack.Cli.Tests.Support;

namespace Dstack.Cli.Tests.Git;

public class GitContextTests
{
    [Fact]
    public async Task TheRootIsFoundFromASubfolder()
    {
        using var repo = new GitRepoFixture();
        repo.Write("src/a.txt", "a");
        var git = await GitContext.DiscoverAsync(Path.Combine(repo.Root, "src"));
        Assert.Equal(repo.Root, git.Root);
    }

    [Fact]
    public async Task OutsideARepositoryTheErrorSaysWhereToRunDstack()
    {
        using var folder = new TempFolder();
        var error = await Assert.ThrowsAsync<CliException>(() => GitContext.DiscoverAsync(folder.Path));
        Assert.Equal("not a git repository: run dstack from the folder of your repository", error.Message);
    }

    [Fact]
    public void MayBeInRepository_FromASubfolder_AndNotOutside()
    {
        using var repo = new GitRepoFixture();
        repo.Write("src/a.txt", "a");
        using var folder = new TempFolder();

        Assert.True(GitContext.MayBeInRepository(Path.Combine(repo.Root, "src")));
        Assert.False(GitContext.MayBeInRepository(folder.Path));
    }

    [Fact]
    public async Task ALocalPathRemoteIsMadeAbsolute()
    {
        using var repo = new GitRepoFixture();
        var git = await GitContext.DiscoverAsync(repo.Root);
        Assert.Equal(repo.Bare, await git.GetRemoteUrlAsync());
    }

    [Fact]
    public async Task AUrlRemoteIsKeptAsWritten()
    {
        using var repo = new GitRepoFixture(withRemote: false);
        GitRepoFixture.Git(repo.Root, "remote", "add", "origin", "git@github.com:acme/models.git");
        var git = await GitContext.DiscoverAsync(repo.Root);
        Assert.Equal("git@github.com:acme/models.git", await git.GetRemoteUrlAsync());
    }

    [Fact]
    public async Task TheCurrentBranchsUpstreamRemoteWinsOverOrigin()
    {
        using var repo = new GitRepoFixture();
        repo.Write("a.txt", "a");
        repo.CommitAll();
        var other = Path.Combine(repo.Folder, "other.git");
        GitRepoFixture.Git(repo.Folder, "init", "-q", "--bare", other);
        GitRepoFixture.Git(repo.Root, "remote", "add", "upstream", other);
        GitRepoFixture.Git(repo.Root, "push", "-q", "-u", "upstream", "main");
        var git = await GitContext.DiscoverAsync(repo.Root);
        Assert.Equal(other, await git.GetRemoteUrlAsync());
    }

    [Fact]
    public async Task TheOnlyRemoteIsUsedWhenItIsNotOrigin()
    {
        using var repo = new GitRepoFixture(withRemote: false);
        GitRepoFixture.Git(repo.Root, "remote", "add", "github", "https://github.com/acme/models.git");
        var git = await GitContext.DiscoverAsync(repo.Root);
        Assert.Equal("https://github.com/acme/models.git", await git.GetRemoteUrlAsync());
    }

    [Fact]
    public async Task TheRemotesUrlIsTheOneGitFetches_WithInsteadOfApplied()
    {
        using var repo = new GitRepoFixture(withRemote: false);
        GitRepoFixture.Git(repo.Root, "remote", "add", "origin", "gh:acme/models.git");
        GitRepoFixture.Git(repo.Root, "config", "url.https://github.com/.insteadOf", "gh:");
        var git = await GitContext.DiscoverAsync(repo.Root);
        Assert.Equal("https://github.com/acme/models.git", await git.GetRemoteUrlAsync());
    }

    [Fact]
    public async Task SeveralRemotesWithoutOriginOrUpstreamAreRefusedSayingWhichAndHowToChoose()
    {
        using var repo = new GitRepoFixture(withRemote: false);
        GitRepoFixture.Git(repo.Root, "remote", "add", "github", "https://github.com/acme/models.git");
        GitRepoFixture.Git(repo.Root, "remote", "add", "gitlab", "https://gitlab.com/acme/models.git");
        var git = await GitContext.DiscoverAsync(repo.Root);
        var error = await Assert.ThrowsAsync<CliException>(() => git.GetRemoteUrlAsync());
        Assert.StartsWith("the repository has several remotes (github, gitlab) and none is `origin`", error.Message);
    }

    [Fact]
    public async Task ARepositoryWithoutRemoteIsRefusedSayingHowToAddOne()
    {
        using var repo = new GitRepoFixture(withRemote: false);
        var git = await GitContext.DiscoverAsync(repo.Root);
        var error = await Assert.ThrowsAsync<CliException>(() => git.GetRemoteUrlAsync());
        Assert.Equal("the repository has no remote: add one (git remote add origin URL) and push", error.Message);
    }

    [Fact]
    public async Task BranchAndCommitAreThoseOfHead()
    {
        using var repo = new GitRepoFixture();
        repo.Write("a.txt", "a");
        var commit = repo.CommitAll();
        var git = await GitContext.DiscoverAsync(repo.Root);
        Assert.Equal("main", await git.GetBranchAsync());
        Assert.Equal(commit, (await git.GetHeadAsync()).Commit);
    }

    [Fact]
    public async Task TheBranchIsKnownBeforeTheFirstCommit_AndNoneOnADetachedHead()
    {
        using var repo = new GitRepoFixture();
        Assert.Equal("main", await (await GitContext.DiscoverAsync(repo.Root)).GetBranchAsync());
        repo.Write("a.txt", "a");
        repo.CommitAll();
        GitRepoFixture.Git(repo.Root, "checkout", "-q", "-b", "feature/x");
        Assert.Equal("feature/x", await (await GitContext.DiscoverAsync(repo.Root)).GetBranchAsync());
        GitRepoFixture.Git(repo.Root, "checkout", "-q", "--detach");
        Assert.Null(await (await GitContext.DiscoverAsync(repo.Root)).GetBranchAsync());
    }

    [Fact]
    public async Task AHeadThatIsASymbolicLink_NamesItsBranchThroughGit()
    {
        using var repo = new GitRepoFixture();
        repo.Write("a.txt", "a");
        repo.CommitAll();
        var head = Path.Combine(repo.Root, ".git", "HEAD");
        File.Delete(head);
        File.CreateSymbolicLink(head, "refs/heads/main");
        Assert.Equal("main", await (await GitContext.DiscoverAsync(repo.Root)).GetBranchAsync());
    }

    [Fact]
    public async Task InALinkedWorktree_TheBranchAndRootAreTheWorktrees()
    {
        using var repo = new GitRepoFixture();
        repo.Write("a.txt", "a");
        repo.CommitAll();
        var worktree = Path.Combine(repo.Folder, "wt");
        GitRepoFixture.Git(repo.Root, "worktree", "add", "-q", "-b", "side", worktree);
        var git = await GitContext.DiscoverAsync(Path.Combine(worktree));
        Assert.Equal(worktree, git.Root);
        Assert.Equal("side", await git.GetBranchAsync());
        Assert.Equal(Path.Combine(repo.Folder, "remote.git"), await git.GetRemoteUrlAsync());
    }

    [Fact]
    public async Task TheUpstreamOfABranchWithASlash_OnARemoteWithADot_IsFollowed()
    {
        using var repo = new GitRepoFixture();
        GitRepoFixture.Git(repo.Root, "checkout", "-q", "-b", "feature/x");
        GitRepoFixture.Git(repo.Root, "remote", "add", "my.fork", "https://example.com/fork.git");
        GitRepoFixture.Git(repo.Root, "config", "branch.feature/x.remote", "my.fork");
        var git = await GitContext.DiscoverAsync(repo.Root);
        Assert.Equal("https://example.com/fork.git", await git.GetRemoteUrlAsync());
    }

    [Fact]
    public async Task AnUpstreamNamingNoRemoteFallsBackToOrigin()
    {
        using var repo = new GitRepoFixture();
        GitRepoFixture.Git(repo.Root, "config", "branch.main.remote", "gone");
        var git = await GitContext.DiscoverAsync(repo.Root);
        Assert.Equal(Path.Combine(repo.Folder, "remote.git"), await git.GetRemoteUrlAsync());
    }

    [Fact]
    public async Task TheLongestInsteadOfPrefixWins()
    {
        using var repo = new GitRepoFixture(withRemote: false);
        GitRepoFixture.Git(repo.Root, "remote", "add", "origin", "gh:acme/models.git");
        GitRepoFixture.Git(repo.Root, "config", "url.https://github.com/.insteadOf", "gh:");
        GitRepoFixture.Git(repo.Root, "config", "url.https://mirror.example.com/acme/.insteadOf", "gh:acme/");
        var git = await GitContext.DiscoverAsync(repo.Root);
        Assert.Equal("https://mirror.example.com/acme/models.git", await git.GetRemoteUrlAsync());
    }

    [Fact]
    public async Task ARepositoryWithoutCommitsIsRefused()
    {
        using var repo = new GitRepoFixture();
        var git = await GitContext.DiscoverAsync(repo.Root);
        var error = await Assert.ThrowsAsync<CliException>(() => git.GetHeadAsync());
        Assert.Contains("no commit yet", error.Message);
    }

    [Fact]
    public async Task AHeadGitCannotRead_IsToldWithGitsOwnWords_NotAsAMissingCommit()
    {
        using var repo = new GitRepoFixture();
        repo.Write("a.txt", "a");
        repo.CommitAll();
        File.WriteAllText(Path.Combine(repo.Root, ".git", "refs", "heads", "main"), new string('0', 39) + "1\n");
        var git = await GitContext.DiscoverAsync(repo.Root);

        var error = await Assert.ThrowsAsync<CliException>(() => git.GetHeadAsync());

        Assert.StartsWith("git log failed: fatal: bad object HEAD", error.Message);
    }

    [Fact]
    public async Task ACommitIsOnTheRemoteOnlyOncePushed()
    {
        using var repo = new GitRepoFixture();
        repo.Write("a.txt", "a");
        var first = repo.CommitAll();
        var git = await GitContext.DiscoverAsync(repo.Root);
        Assert.False(await git.IsOnRemoteAsync(first));
        repo.Push();
        Assert.True(await git.IsOnRemoteAsync(first));
        repo.Write("a.txt", "b");
        var second = repo.CommitAll();
        Assert.False(await git.IsOnRemoteAsync(second));
    }

    [Fact]
    public async Task HeadSaysWhetherARemoteBranchPointsAtIt_AndAnOlderPushedCommitIsStillOnTheRemote()
    {
        using var repo = new GitRepoFixture();
        repo.Write("a.txt", "a");
        var first = repo.CommitAll();
        var git = await GitContext.DiscoverAsync(repo.Root);

        var unpushed = await git.GetHeadAsync();
        Assert.Equal(new HeadCommit(first, GitRepoFixture.Git(repo.Root, "rev-parse", "HEAD^{tree}").Trim(), AtARemoteBranch: false), unpushed);
        Assert.False(await git.IsOnRemoteAsync(unpushed));

        repo.Push();
        var pushed = await git.GetHeadAsync();
        Assert.True(pushed.AtARemoteBranch);
        Assert.True(await git.IsOnRemoteAsync(pushed));

        // The remote moves on; HEAD goes back to the first commit: no remote branch points at it, but one contains it.
        repo.Write("a.txt", "b");
        repo.CommitAll();
        repo.Push();
        GitRepoFixture.Git(repo.Root, "checkout", "-q", "--detach", first);
        var older = await git.GetHeadAsync();
        Assert.Equal(first, older.Commit);
        Assert.False(older.AtARemoteBranch);
        Assert.True(await git.IsOnRemoteAsync(older));
    }

    [Fact]
    public async Task TheTrackedDiffIsGitsBinaryDiffAgainstHead()
    {
        using var repo = new GitRepoFixture();
        repo.Write("a.txt", "one\n");
        repo.WriteBytes("b.bin", [0, 1, 2]);
        repo.CommitAll();
        var git = await GitContext.DiscoverAsync(repo.Root);
        Assert.Empty(await git.GetTrackedDiffAsync());

        repo.Write("a.txt", "two\n");
        repo.WriteBytes("b.bin", [0, 1, 2, 3, 255]);
        GitRepoFixture.Git(repo.Root, "add", "b.bin"); // staged changes count too
        // A user's diff settings must not change the patch: an external tool, colours, other prefixes, a relative diff.
        GitRepoFixture.Git(repo.Root, "config", "diff.external", "false");
        GitRepoFixture.Git(repo.Root, "config", "color.diff", "always");
        GitRepoFixture.Git(repo.Root, "config", "diff.noprefix", "true");
        GitRepoFixture.Git(repo.Root, "config", "diff.relative", "true");
        var diff = Encoding.UTF8.GetString(await git.GetTrackedDiffAsync());
        Assert.Contains("-one\n+two\n", diff);
        Assert.Contains("GIT binary patch", diff);

        // The diff applies to a clean checkout of HEAD: that is what the runner does with it.
        var check = Path.Combine(repo.Folder, "check");
        GitRepoFixture.Git(repo.Folder, "clone", "-q", repo.Root, check);
        File.WriteAllBytes(Path.Combine(check, "change.diff"), await git.GetTrackedDiffAsync());
        GitRepoFixture.Git(check, "apply", "change.diff");
        Assert.Equal("two\n", File.ReadAllText(Path.Combine(check, "a.txt")));
        Assert.Equal([0, 1, 2, 3, 255], File.ReadAllBytes(Path.Combine(check, "b.bin")));
    }

    [Fact]
    public async Task UntrackedFilesArePackedAsATarWithoutIgnoredOnes()
    {
        using var repo = new GitRepoFixture();
        repo.Write(".gitignore", "*.log\n");
        repo.Write("tracked.txt", "t");
        repo.CommitAll();
        repo.Write("notes/new.txt", "new file");
        repo.Write("debug.log", "ignored");
        File.SetUnixFileMode(Path.Combine(repo.Root, "notes/new.txt"), (UnixFileMode)Convert.ToInt32("755", 8));
        var git = await GitContext.DiscoverAsync(repo.Root);

        using var archive = await git.PackUntrackedAsync(await git.GetUntrackedFilesAsync(), GitContext.DefaultUntrackedLimitBytes);
        Assert.NotNull(archive);
        Assert.Equal(1, archive.FileCount);
        await using var stream = archive.OpenRead();
        using var reader = new TarReader(stream);
        var entry = reader.GetNextEntry()!;
        Assert.Equal("notes/new.txt", entry.Name);
        Assert.True(entry.Mode.HasFlag(UnixFileMode.UserExecute));
        Assert.Equal("new file", new StreamReader(entry.DataStream!).ReadToEnd());
        Assert.Null(reader.GetNextEntry());
    }

    [Fact]
    public async Task NoUntrackedFilesMeansNoArchive()
    {
        using var repo = new GitRepoFixture();
        repo.Write("a.txt", "a");
        repo.CommitAll();
        var git = await GitContext.DiscoverAsync(repo.Root);
        Assert.Null(await git.PackUntrackedAsync(await git.GetUntrackedFilesAsync(), GitContext.DefaultUntrackedLimitBytes));
    }

    [Fact]
    public async Task UntrackedFilesAboveTheLimitAreRefusedNamingTheLargestFirst()
    {
        using var repo = new GitRepoFixture();
        repo.Write("a.txt", "a");
        repo.CommitAll();
        repo.WriteBytes("data/big.bin", new byte[3 * 1024 * 1024]);
        repo.WriteBytes("small.bin", new byte[1024]);
        var git = await GitContext.DiscoverAsync(repo.Root);
        var error = await Assert.ThrowsAsync<CliException>(async () => await git.PackUntrackedAsync(await git.GetUntrackedFilesAsync(), 2 * 1024 * 1024));
        Assert.Contains("above the limit of 2 MB", error.Message);
        Assert.Contains("the largest: data/big.bin (3 MB), small.bin (1 KB)", error.Message);
        Assert.Contains("DSTACK_MAX_UNTRACKED_MB", error.Message);
    }

    [Theory]
    [InlineData(null, 100L * 1024 * 1024)]
    [InlineData("5", 5L * 1024 * 1024)]
    public void TheUntrackedLimitComesFromTheEnvironment(string? value, long expected)
    {
        Assert.Equal(expected, GitContext.UntrackedLimitBytes(value));
    }

    [Fact]
    public void AnUntrackedLimitThatIsNotANumberIsRefused()
    {
        var error = Assert.Throws<CliException>(() => GitContext.UntrackedLimitBytes("lots"));
        Assert.Contains("DSTACK_MAX_UNTRACKED_MB is 'lots'", error.Message);
    }
}
