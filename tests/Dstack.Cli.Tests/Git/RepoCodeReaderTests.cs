using Dstack.Cli.Git;
using Dstack.Cli.Tests.Support;
using System.Text.Json;
using Dstack.Contracts;
using Dstack.Contracts.Runs;

namespace Dstack.Cli.Tests.Git;

/// <summary>The code identity `dstack run` sends, read from real git repositories: content decides, never timestamps.</summary>
public class RepoCodeReaderTests
{
    private static GitRepoFixture RepoWithSrcAndDocs()
    {
        var repo = new GitRepoFixture();
        repo.Write("src/train.py", "print('train')\n");
        repo.Write("src/data/prepare.py", "print('prepare')\n");
        repo.Write("docs/README.md", "# docs\n");
        repo.Write(".gitignore", "*.log\n");
        repo.CommitAll("first");
        return repo;
    }

    private static async Task<RepoCode> ReadAsync(GitRepoFixture repo, params string[] paths)
    {
        var git = await GitContext.DiscoverAsync(repo.Root);
        var head = await git.GetHeadAsync();
        return await RepoCodeReader.ReadAsync(git, head, await git.GetUntrackedFilesAsync(), paths);
    }

    [Fact]
    public async Task ACleanCheckoutHasTheCommitsTreeAndNoChanges()
    {
        using var repo = RepoWithSrcAndDocs();
        var code = await ReadAsync(repo, "src");
        Assert.Equal(GitRepoFixture.Git(repo.Root, "rev-parse", "HEAD^{tree}"), code.Tree);
        Assert.Null(code.Changes);
        Assert.Equal(GitRepoFixture.Git(repo.Root, "rev-parse", "HEAD:src"), code.Paths["src"].Object);
        Assert.Null(code.Paths["src"].Changes);
    }

    [Fact]
    public async Task HeadGivesTheCommitAndItsTreeTogether()
    {
        using var repo = RepoWithSrcAndDocs();
        var head = await (await GitContext.DiscoverAsync(repo.Root)).GetHeadAsync();
        Assert.Equal(GitRepoFixture.Git(repo.Root, "rev-parse", "HEAD"), head.Commit);
        Assert.Equal(GitRepoFixture.Git(repo.Root, "rev-parse", "HEAD^{tree}"), head.Tree);
    }

    [Fact]
    public async Task AnEditChangesTheChangesAndOnlyTheIncludedPathItLiesUnder()
    {
        using var repo = RepoWithSrcAndDocs();
        var before = await ReadAsync(repo, "src", "docs");
        repo.Write("docs/README.md", "# docs, edited\n");
        var after = await ReadAsync(repo, "src", "docs");
        Assert.NotNull(after.Changes);
        Assert.Equal(before.Tree, after.Tree);
        Assert.NotNull(after.Paths["docs"].Changes);
        Assert.Null(after.Paths["src"].Changes);
        Assert.Equal(before.Paths["src"], after.Paths["src"]);
        Assert.Equal(before.Paths["docs"].Object, after.Paths["docs"].Object);
    }

    [Fact]
    public async Task ADifferentEditGivesDifferentChanges()
    {
        using var repo = RepoWithSrcAndDocs();
        repo.Write("src/train.py", "print('one')\n");
        var one = await ReadAsync(repo, "src");
        repo.Write("src/train.py", "print('two')\n");
        var two = await ReadAsync(repo, "src");
        Assert.NotEqual(one.Changes, two.Changes);
        Assert.NotEqual(one.Paths["src"].Changes, two.Paths["src"].Changes);
    }

    [Fact]
    public async Task RevertingAnEditGivesBackTheOldIdentity()
    {
        using var repo = RepoWithSrcAndDocs();
        repo.Write("src/extra.py", "x = 1\n");
        var before = await ReadAsync(repo, "src");
        repo.Write("src/train.py", "print('edited')\n");
        Assert.NotEqual(before.Changes, (await ReadAsync(repo, "src")).Changes);
        repo.Write("src/train.py", "print('train')\n");
        var reverted = await ReadAsync(repo, "src");
        Assert.Equal(before.Changes, reverted.Changes);
        Assert.Equal(before.Paths["src"], reverted.Paths["src"]);
    }

    [Fact]
    public async Task TouchingAFileWithoutChangingItChangesNothing()
    {
        using var repo = RepoWithSrcAndDocs();
        repo.Write("src/untracked.txt", "u\n");
        var before = await ReadAsync(repo, "src");
        var future = DateTime.UtcNow.AddHours(1);
        File.SetLastWriteTimeUtc(Path.Combine(repo.Root, "src/train.py"), future);
        File.SetLastWriteTimeUtc(Path.Combine(repo.Root, "src/untracked.txt"), future);
        var after = await ReadAsync(repo, "src");
        Assert.Equal(before.Changes, after.Changes);
        Assert.Equal(before.Paths["src"], after.Paths["src"]);
    }

    [Fact]
    public async Task AnUntrackedFileCountsUnderItsPathAndAnIgnoredOneDoesNot()
    {
        using var repo = RepoWithSrcAndDocs();
        repo.Write("src/train.log", "ignored\n");
        var ignored = await ReadAsync(repo, "src");
        Assert.Null(ignored.Changes);
        repo.Write("src/data/new.csv", "a,b\n");
        var withNew = await ReadAsync(repo, "src", "docs");
        Assert.NotNull(withNew.Changes);
        Assert.NotNull(withNew.Paths["src"].Changes);
        Assert.Null(withNew.Paths["docs"].Changes);
    }

    [Fact]
    public async Task TheUntrackedFileContentCounts()
    {
        using var repo = RepoWithSrcAndDocs();
        repo.Write("notes.txt", "one\n");
        var one = await ReadAsync(repo);
        repo.Write("notes.txt", "two\n");
        Assert.NotEqual(one.Changes, (await ReadAsync(repo)).Changes);
    }

    [Fact]
    public async Task TheExecutableBitCounts()
    {
        using var repo = RepoWithSrcAndDocs();
        repo.Write("src/run.sh", "echo hi\n");
        var plain = await ReadAsync(repo, "src");
        File.SetUnixFileMode(Path.Combine(repo.Root, "src/run.sh"), File.GetUnixFileMode(Path.Combine(repo.Root, "src/run.sh")) | UnixFileMode.UserExecute);
        var executable = await ReadAsync(repo, "src");
        Assert.NotEqual(plain.Changes, executable.Changes);
        Assert.NotEqual(plain.Paths["src"].Changes, executable.Paths["src"].Changes);
    }

    [Fact]
    public async Task ATrackedFileMadeExecutableIsAChange()
    {
        using var repo = RepoWithSrcAndDocs();
        var path = Path.Combine(repo.Root, "src/train.py");
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        Assert.NotNull((await ReadAsync(repo, "src")).Paths["src"].Changes);
    }

    [Fact]
    public async Task ADeletedFileIsAChangeUnlikeAnEmptyOne()
    {
        using var repo = RepoWithSrcAndDocs();
        File.Delete(Path.Combine(repo.Root, "docs/README.md"));
        var deleted = await ReadAsync(repo, "docs");
        Assert.NotNull(deleted.Paths["docs"].Changes);
        repo.Write("docs/README.md", "");
        var emptied = await ReadAsync(repo, "docs");
        Assert.NotNull(emptied.Paths["docs"].Changes);
        Assert.NotEqual(deleted.Changes, emptied.Changes);
    }

    [Fact]
    public async Task ASymlinksTargetCounts()
    {
        using var repo = RepoWithSrcAndDocs();
        File.CreateSymbolicLink(Path.Combine(repo.Root, "src/current"), "train.py");
        var one = await ReadAsync(repo, "src");
        File.Delete(Path.Combine(repo.Root, "src/current"));
        File.CreateSymbolicLink(Path.Combine(repo.Root, "src/current"), "data/prepare.py");
        var two = await ReadAsync(repo, "src");
        Assert.NotNull(one.Paths["src"].Changes);
        Assert.NotEqual(one.Paths["src"].Changes, two.Paths["src"].Changes);
    }

    [Fact]
    public async Task ACommitThatChangesNoFileKeepsTheTree()
    {
        using var repo = RepoWithSrcAndDocs();
        var before = await ReadAsync(repo, "src");
        GitRepoFixture.Git(repo.Root, "commit", "-q", "--allow-empty", "-m", "nothing");
        var after = await ReadAsync(repo, "src");
        Assert.Equal(before.Tree, after.Tree);
        Assert.Equal(before.Paths["src"], after.Paths["src"]);
    }

    [Fact]
    public async Task AnIncludedPathsObjectChangesOnlyWhenAFileUnderItIsCommitted()
    {
        using var repo = RepoWithSrcAndDocs();
        var first = await ReadAsync(repo, "src", "docs");
        repo.Write("docs/README.md", "# docs v2\n");
        repo.CommitAll("docs");
        var second = await ReadAsync(repo, "src", "docs");
        Assert.NotEqual(first.Tree, second.Tree);
        Assert.Equal(first.Paths["src"].Object, second.Paths["src"].Object);
        Assert.NotEqual(first.Paths["docs"].Object, second.Paths["docs"].Object);
        Assert.Null(second.Changes);
    }

    [Fact]
    public async Task AFileCanBeAnIncludedPath()
    {
        using var repo = RepoWithSrcAndDocs();
        var before = await ReadAsync(repo, "src/train.py");
        Assert.Equal(GitRepoFixture.Git(repo.Root, "rev-parse", "HEAD:src/train.py"), before.Paths["src/train.py"].Object);
        repo.Write("src/train.py.bak", "not under the file\n");
        Assert.Null((await ReadAsync(repo, "src/train.py")).Paths["src/train.py"].Changes);
        repo.Write("src/train.py", "edited\n");
        Assert.NotNull((await ReadAsync(repo, "src/train.py")).Paths["src/train.py"].Changes);
    }

    [Fact]
    public async Task APathMissingAtHeadHasNoObjectButItsUntrackedFilesCount()
    {
        using var repo = RepoWithSrcAndDocs();
        var missing = await ReadAsync(repo, "models", "src");
        Assert.Null(missing.Paths["models"].Object);
        Assert.Null(missing.Paths["models"].Changes);
        Assert.NotNull(missing.Paths["src"].Object);
        repo.Write("models/config.json", "{}\n");
        Assert.NotNull((await ReadAsync(repo, "models")).Paths["models"].Changes);
    }

    [Fact]
    public async Task APathThatOnlySharesAPrefixIsNotUnderIt()
    {
        using var repo = RepoWithSrcAndDocs();
        repo.Write("src-old/a.py", "a\n");
        var code = await ReadAsync(repo, "src");
        Assert.NotNull(code.Changes);
        Assert.Null(code.Paths["src"].Changes);
    }

    [Fact]
    public async Task ANewRepositoryWithoutCommitIsRefused()
    {
        using var repo = new GitRepoFixture();
        var git = await GitContext.DiscoverAsync(repo.Root);
        var error = await Assert.ThrowsAsync<Dstack.Cli.Terminal.CliException>(() => git.GetHeadAsync());
        Assert.Equal("the repository has no commit yet: commit your work and push it first", error.Message);
    }

    [Fact]
    public async Task TheIdentityTravelsInTheRunRequestUnderCamelCaseNames()
    {
        using var repo = RepoWithSrcAndDocs();
        repo.Write("src/train.py", "edited\n");
        var code = await ReadAsync(repo, "src", "models");
        var request = new SubmitRunRequest
        {
            RepoUrl = "/tmp/remote.git",
            Commit = "c",
            WorkflowFiles = [],
            Workflow = "train",
            Code = code,
            NoCache = true,
        };
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(request, DstackJsonContext.Default.SubmitRunRequest));
        var sent = json.RootElement.GetProperty("code");
        Assert.True(json.RootElement.GetProperty("noCache").GetBoolean());
        Assert.Equal(code.Tree, sent.GetProperty("tree").GetString());
        Assert.Equal(code.Changes, sent.GetProperty("changes").GetString());
        Assert.Equal(code.Paths["src"].Object, sent.GetProperty("paths").GetProperty("src").GetProperty("object").GetString());
        Assert.Equal(code.Paths["src"].Changes, sent.GetProperty("paths").GetProperty("src").GetProperty("changes").GetString());
        Assert.Equal(JsonValueKind.Null, sent.GetProperty("paths").GetProperty("models").GetProperty("object").ValueKind);
    }

    [Fact]
    public async Task AnIncludedPathWithALineBreakIsRefusedNamingIt()
    {
        using var repo = RepoWithSrcAndDocs();
        var error = await Assert.ThrowsAsync<Dstack.Cli.Terminal.CliException>(() => ReadAsync(repo, "src\nx"));
        Assert.Equal("the included path 'src x' holds a line break: rename it in depends-on: repo: include", error.Message);
    }
}
