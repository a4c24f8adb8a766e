using System.Text;
using Dstack.Contracts.Artifacts;
using Dstack.Contracts.Runner;
using Dstack.Contracts.Logs;
using Dstack.Runner.Execution;
using Dstack.Runner.Logs;
using Dstack.Runner.Tests.Support;
using Dstack.Runner.Workspace;

namespace Dstack.Runner.Tests.Workspace;

public sealed class SlotWorkspaceTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly GitRemote _remote;
    private readonly FolderBlobStore _blobs;
    private readonly MirrorStore _mirrors;
    private readonly SlotWorkspace _workspace;
    private readonly List<string> _warnings = [];

    public SlotWorkspaceTests()
    {
        _remote = new GitRemote(_temp);
        _blobs = new FolderBlobStore(_temp.Combine("blobs"));
        _mirrors = new MirrorStore(_temp.Combine("home", "mirrors"));
        _workspace = new SlotWorkspace(_temp.Combine("home", "slots", "0"), _mirrors);
    }

    private JobSpec Spec(string commit, string? diff = null, string? untracked = null, string workingDir = ".",
        IReadOnlyList<DependencyArtifacts>? dependencies = null, string? url = null, IReadOnlyList<ArtifactFile>? restore = null) => new()
        {
            RepoUrl = url ?? _remote.Url,
            Commit = commit,
            DiffBlob = diff,
            UntrackedBlob = untracked,
            Commands = ["true"],
            WorkingDir = workingDir,
            Environment = new Dictionary<string, string>(),
            Artifacts = [],
            Dependencies = dependencies ?? [],
            Restore = restore ?? [],
        };

    private Task<string> PrepareAsync(JobSpec spec) =>
        _workspace.PrepareAsync(spec, _blobs, _temp.Combine("home", "tmp"), _warnings.Add, CancellationToken.None);

    private string Read(string relative) => File.ReadAllText(Path.Combine(_workspace.Root, relative));

    [Fact]
    public async Task Prepare_ChecksOutTheCommit_ThenAppliesTheDiffAndTheUntrackedFiles()
    {
        var commit = _remote.Commit(new Dictionary<string, string?> { ["train.py"] = "print('v1')\n", ["data/a.txt"] = "a\n" });
        File.WriteAllText(Path.Combine(_remote.ClonePath, "train.py"), "print('v1 with local edits')\n");
        var diff = _blobs.Put(Encoding.UTF8.GetBytes(Git.Run(_remote.ClonePath, "diff", "--binary", "HEAD") + "\n"));
        var untracked = _blobs.Put(new TarBuilder().Directory("notes").File("notes/todo.md", "# todo\n").File("run.sh", "echo hi\n", (UnixFileMode)0x1ED).Build());

        var workDir = await PrepareAsync(Spec(commit, diff, untracked));

        Assert.Equal(_workspace.Root, workDir);
        Assert.Equal("print('v1 with local edits')\n", Read("train.py"));
        Assert.Equal("a\n", Read("data/a.txt"));
        Assert.Equal("# todo\n", Read("notes/todo.md"));
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Combine(_workspace.Root, "run.sh")));
        Assert.Equal(commit, Git.Run(_workspace.Root, "rev-parse", "HEAD"));
    }

    [Fact]
    public async Task Prepare_MarksTheWorkspaceAndTheWorkingDir_AsTopsOfDirectoryHierarchies()
    {
        var commit = _remote.Commit(new Dictionary<string, string?> { ["src/train.py"] = "print(1)\n" });

        var workDir = await PrepareAsync(Spec(commit, workingDir: "src"));

        // Where the file system has inode flags (ext4 here), the folders jobs create are spread over its block groups.
        if (FileFlags.Read(_workspace.Root) is not { } rootFlags) return;
        Assert.NotEqual(0, rootFlags & FileFlags.TopDirectory);
        Assert.NotEqual(0, FileFlags.Read(workDir)!.Value & FileFlags.TopDirectory);
    }

    [Fact]
    public async Task Prepare_MakesTheWorkspaceInASlotFolderMarkedAsATop_AndRemovesAHalfMadeOne()
    {
        var slot = _temp.Combine("home", "slots", "0");
        // Left by a runner killed while making its workspace; beside it, names the runner never makes, and one not empty.
        Directory.CreateDirectory(Path.Combine(slot, "ws.new-" + Guid.NewGuid().ToString("N")));
        Directory.CreateDirectory(Path.Combine(slot, "ws.new-mine"));
        var notEmpty = Path.Combine(slot, "ws.new-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(notEmpty);
        File.WriteAllText(Path.Combine(notEmpty, "kept.txt"), "kept\n");
        var commit = _remote.Commit(new Dictionary<string, string?> { ["train.py"] = "print(1)\n" });

        await PrepareAsync(Spec(commit));

        Assert.Equal(commit, Git.Run(_workspace.Root, "rev-parse", "HEAD"));
        Assert.Equal(new[] { "ws.new-mine", Path.GetFileName(notEmpty) }.Order(StringComparer.Ordinal).ToArray(), Directory.EnumerateDirectories(slot, "ws.new-*").Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("kept\n", File.ReadAllText(Path.Combine(notEmpty, "kept.txt")));
        // Where the file system has inode flags (ext4 here), the workspace folder is placed away from its parent's block group.
        if (FileFlags.Read(slot) is not { } slotFlags) return;
        Assert.NotEqual(0, slotFlags & FileFlags.TopDirectory);
    }

    [Fact]
    public async Task Prepare_ReusesTheWorkspaceForTheNextCommit_AndLeavesNothingOfThePreviousJob()
    {
        var first = _remote.Commit(new Dictionary<string, string?> { ["train.py"] = "v1\n", ["old.txt"] = "old\n" });
        var untracked = _blobs.Put(new TarBuilder().File("scratch.txt", "scratch\n").Build());
        await PrepareAsync(Spec(first, untracked: untracked));
        File.WriteAllText(Path.Combine(_workspace.Root, "output.bin"), "written by the first job");
        File.WriteAllText(Path.Combine(_workspace.Root, "train.py"), "modified by the first job");
        var marker = Path.Combine(_workspace.Root, ".git", "test-marker");
        File.WriteAllText(marker, "the same .git, not a new one");

        var second = _remote.Commit(new Dictionary<string, string?> { ["train.py"] = "v2\n", ["old.txt"] = null });
        await PrepareAsync(Spec(second));

        Assert.Equal("v2\n", Read("train.py"));
        Assert.False(File.Exists(Path.Combine(_workspace.Root, "old.txt")));
        Assert.False(File.Exists(Path.Combine(_workspace.Root, "output.bin")));
        Assert.False(File.Exists(Path.Combine(_workspace.Root, "scratch.txt")));
        Assert.True(File.Exists(marker));
        // the workspace holds no objects of its own: it borrows the mirror's
        var alternates = File.ReadAllText(Path.Combine(_workspace.Root, ".git", "objects", "info", "alternates"));
        Assert.Equal(_mirrors.For(_remote.Url).ObjectsPath + "\n", alternates);
    }

    [Fact]
    public async Task Prepare_ChecksOutAFile_WhereThePreviousJobLeftAFolder()
    {
        await PrepareAsync(Spec(_remote.Commit(new Dictionary<string, string?> { ["a.txt"] = "a\n" })));
        Directory.CreateDirectory(Path.Combine(_workspace.Root, "models", "124M"));
        File.WriteAllText(Path.Combine(_workspace.Root, "models", "124M", "weights.bin"), "left by the job");
        var second = _remote.Commit(new Dictionary<string, string?> { ["models"] = "now a tracked file\n" });

        await PrepareAsync(Spec(second));

        Assert.Equal("now a tracked file\n", Read("models"));
    }

    [Fact]
    public async Task Prepare_DoesNotFetch_WhenTheMirrorAlreadyHasTheCommit()
    {
        var commit = _remote.Commit(new Dictionary<string, string?> { ["a.txt"] = "a\n" });
        await PrepareAsync(Spec(commit));
        Directory.Move(_remote.BarePath, _remote.BarePath + ".away"); // any fetch would now fail

        var otherSlot = new SlotWorkspace(_temp.Combine("home", "slots", "1"), new MirrorStore(_temp.Combine("home", "mirrors")));
        var workDir = await otherSlot.PrepareAsync(Spec(commit), _blobs, _temp.Combine("home", "tmp"), _warnings.Add, CancellationToken.None);

        Assert.Equal("a\n", File.ReadAllText(Path.Combine(workDir, "a.txt")));
    }

    [Fact]
    public async Task Prepare_FetchesANewCommitIntoTheExistingMirror()
    {
        await PrepareAsync(Spec(_remote.Commit(new Dictionary<string, string?> { ["a.txt"] = "1\n" })));
        var second = _remote.Commit(new Dictionary<string, string?> { ["a.txt"] = "2\n" });

        await PrepareAsync(Spec(second));

        Assert.Equal("2\n", Read("a.txt"));
    }

    [Fact]
    public async Task Prepare_FailsWithGitsError_WhenTheRemoteCannotBeReached()
    {
        var missing = _temp.Combine("no-such-remote.git");

        var error = await Assert.ThrowsAsync<WorkspacePreparationException>(() => PrepareAsync(Spec(new string('a', 40), url: missing)));

        Assert.StartsWith($"could not fetch {missing}: ", error.Reason);
        Assert.Contains("does not appear to be a git repository", error.Reason);
        Assert.Contains("does not appear to be a git repository", Encoding.UTF8.GetString(error.Log!));
    }

    [Fact]
    public async Task Prepare_Fails_WhenTheCommitIsNotOnTheRemote()
    {
        _remote.Commit(new Dictionary<string, string?> { ["a.txt"] = "a\n" });
        var unpushed = new string('b', 40);

        var error = await Assert.ThrowsAsync<WorkspacePreparationException>(() => PrepareAsync(Spec(unpushed)));

        Assert.Equal($"commit {unpushed} is not in {_remote.Url}; push it first", error.Reason);
    }

    [Fact]
    public async Task Prepare_Fails_WhenTheWorkingDirDoesNotExist()
    {
        var commit = _remote.Commit(new Dictionary<string, string?> { ["src/a.txt"] = "a\n" });

        var error = await Assert.ThrowsAsync<WorkspacePreparationException>(() => PrepareAsync(Spec(commit, workingDir: "nope")));

        Assert.Equal("working_dir nope does not exist", error.Reason);
        Assert.EndsWith("/src", await PrepareAsync(Spec(commit, workingDir: "src")));
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("/tmp/absolute.txt")]
    [InlineData("a/../../escape.txt")]
    public async Task Prepare_RefusesAnUntrackedEntryOutsideTheWorkspace(string name)
    {
        var commit = _remote.Commit(new Dictionary<string, string?> { ["a.txt"] = "a\n" });
        var untracked = _blobs.Put(new TarBuilder().File(name, "evil").Build());

        var error = await Assert.ThrowsAsync<WorkspacePreparationException>(() => PrepareAsync(Spec(commit, untracked: untracked)));

        Assert.Contains($"entry '{name}'", error.Reason);
        Assert.False(File.Exists(_temp.Combine("home", "slots", "escape.txt")));
    }

    [Theory]
    [InlineData(".git/hooks/post-checkout")]
    [InlineData(".git/config")]
    public async Task Prepare_RefusesAnUntrackedEntryInsideDotGit(string name)
    {
        var commit = _remote.Commit(new Dictionary<string, string?> { ["a.txt"] = "a\n" });
        var untracked = _blobs.Put(new TarBuilder().File(name, "#!/bin/sh\ntouch planted\n").Build());

        var error = await Assert.ThrowsAsync<WorkspacePreparationException>(() => PrepareAsync(Spec(commit, untracked: untracked)));

        Assert.Contains("inside .git", error.Reason);
    }

    [Fact]
    public async Task Prepare_RunsNoHookOrConfigThatThePreviousJobPlantedInDotGit()
    {
        var first = _remote.Commit(new Dictionary<string, string?> { ["a.txt"] = "a\n" });
        await PrepareAsync(Spec(first));
        var marker = _temp.Combine("hook-ran");
        var hooks = Path.Combine(_workspace.Root, ".git", "hooks");
        Directory.CreateDirectory(hooks);
        foreach (var hook in new[] { "post-checkout", "pre-checkout", "reference-transaction" })
        {
            File.WriteAllText(Path.Combine(hooks, hook), $"#!/bin/sh\ntouch {marker}\n");
            File.SetUnixFileMode(Path.Combine(hooks, hook), (UnixFileMode)Convert.ToInt32("755", 8));
        }
        File.AppendAllText(Path.Combine(_workspace.Root, ".git", "config"), $"[core]\n\tfsmonitor = touch {marker}\n\thooksPath = {hooks}\n");

        await PrepareAsync(Spec(_remote.Commit(new Dictionary<string, string?> { ["b.txt"] = "b\n" })));

        Assert.False(File.Exists(marker), "a hook or config planted by the previous job ran");
        Assert.Equal("b\n", Read("b.txt"));
    }

    [Theory]
    [InlineData("link")]
    [InlineData("folder")]
    public async Task Prepare_PutsBackTheWorkspacesGitConfig_ThatThePreviousJobReplaced(string replacement)
    {
        var commit = _remote.Commit(new Dictionary<string, string?> { ["a.txt"] = "a\n" });
        await PrepareAsync(Spec(commit));
        var config = Path.Combine(_workspace.Root, ".git", "config");
        var written = File.ReadAllText(config);
        var outside = _temp.Combine("outside.txt");
        File.WriteAllText(outside, "[core]\n\tfsmonitor = touch planted\n");
        File.Delete(config);
        if (replacement == "link") File.CreateSymbolicLink(config, outside);
        else Directory.CreateDirectory(Path.Combine(config, "inside"));

        await PrepareAsync(Spec(commit));

        Assert.Null(new FileInfo(config).LinkTarget);
        Assert.Equal(written, File.ReadAllText(config));
        Assert.Equal("[core]\n\tfsmonitor = touch planted\n", File.ReadAllText(outside));
        Assert.Equal("a\n", Read("a.txt"));
    }

    [Fact]
    public async Task Prepare_SkipsLinksInTheUntrackedFiles_WithAWarning()
    {
        var commit = _remote.Commit(new Dictionary<string, string?> { ["a.txt"] = "a\n" });
        var untracked = _blobs.Put(new TarBuilder().SymbolicLink("passwd", "/etc/passwd").File("kept.txt", "kept").Build());

        await PrepareAsync(Spec(commit, untracked: untracked));

        Assert.False(File.Exists(Path.Combine(_workspace.Root, "passwd")));
        Assert.Equal("kept", Read("kept.txt"));
        Assert.Contains(_warnings, w => w.Contains("'passwd'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Prepare_Fails_WhenTheUntrackedArchiveDoesNotMatchItsHash()
    {
        var commit = _remote.Commit(new Dictionary<string, string?> { ["a.txt"] = "a\n" });
        var claimed = new string('c', 64);
        _blobs.PutCorrupt(claimed, new TarBuilder().File("x.txt", "x").Build());

        var error = await Assert.ThrowsAsync<WorkspacePreparationException>(() => PrepareAsync(Spec(commit, untracked: claimed)));

        Assert.Contains("arrived with SHA-256", error.Reason);
    }

    [Fact]
    public async Task Prepare_PutsDependencyArtifactsInPlace_RelativeToTheWorkingDir_AsRealCopiesWithTheirModes()
    {
        var commit = _remote.Commit(new Dictionary<string, string?> { ["src/train.py"] = "train\n" });
        var model = _blobs.Put(Encoding.UTF8.GetBytes("weights"));
        var tool = _blobs.Put(Encoding.UTF8.GetBytes("#!/bin/sh\n"));
        var dependency = new DependencyArtifacts
        {
            JobId = "abcdef123456",
            Workflow = "download-model",
            Files =
            [
                new ArtifactFile { Artifact = "models", Path = "models/124M/model.bin", Size = 7, Sha256 = model },
                new ArtifactFile { Artifact = "bin", Path = "bin/tool", Size = 10, Sha256 = tool, Mode = 0x1ED },
            ],
        };

        var workDir = await PrepareAsync(Spec(commit, workingDir: "src", dependencies: [dependency]));

        var placed = Path.Combine(workDir, "models", "124M", "model.bin");
        Assert.Equal("weights", File.ReadAllText(placed));
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Combine(workDir, "bin", "tool")));
        Assert.Equal((UnixFileMode)0x1A4, File.GetUnixFileMode(placed));
        File.WriteAllText(placed, "changed by the job");
        Assert.Equal("weights", Encoding.UTF8.GetString(_blobs.Get(model))); // a copy, not a link into the store
    }

    [Fact]
    public async Task Prepare_WritesTheNextArtifacts_IntoTheFilesTheLastJobLeft_RatherThanDeletingAndCreating()
    {
        var commit = _remote.Commit(new Dictionary<string, string?> { ["a.txt"] = "a\n" });
        await PrepareAsync(Spec(commit));
        File.WriteAllText(Path.Combine(_workspace.Root, "r1.txt"), "what the last job wrote, longer than the artifact\n");
        var left = Inode(Path.Combine(_workspace.Root, "r1.txt"));

        await PrepareAsync(Spec(commit, dependencies: [Dependency("r2.txt", "input\n")]));

        Assert.False(File.Exists(Path.Combine(_workspace.Root, "r1.txt")));
        Assert.Equal(left, Inode(Path.Combine(_workspace.Root, "r2.txt")));
        Assert.Equal("input\n", Read("r2.txt"));
        Assert.Equal((UnixFileMode)0x1A4, File.GetUnixFileMode(Path.Combine(_workspace.Root, "r2.txt")));
    }

    private DependencyArtifacts Dependency(string path, string content, int mode = 0x1A4) => new()
    {
        JobId = "abcdef123456",
        Workflow = "produce",
        Files = [new ArtifactFile { Artifact = "shared", Path = path, Size = content.Length, Sha256 = _blobs.Put(Encoding.UTF8.GetBytes(content)), Mode = mode }],
    };

    private static ulong Inode(string path) => FileStamp.Read(path)!.Value.Inode;

    [Fact]
    public async Task Prepare_ForTheSameCommit_KeepsADependencyArtifactTheLastJobLeftUntouched_AndReplacesOneWithOtherContent()
    {
        var commit = _remote.Commit(new Dictionary<string, string?> { ["a.txt"] = "a\n" });
        await PrepareAsync(Spec(commit, dependencies: [Dependency("shared/input.txt", "v1")]));
        var input = Path.Combine(_workspace.Root, "shared", "input.txt");
        var first = Inode(input);

        await PrepareAsync(Spec(commit, dependencies: [Dependency("shared/input.txt", "v1")]));
        var kept = Inode(input);
        await PrepareAsync(Spec(commit, dependencies: [Dependency("shared/input.txt", "v2")]));

        Assert.Equal(first, kept); // not written again
        Assert.Equal("v2", File.ReadAllText(input));
    }

    [Fact]
    public async Task Prepare_ForTheSameCommit_PutsBackADependencyArtifactTheLastJobChanged()
    {
        var commit = _remote.Commit(new Dictionary<string, string?> { ["a.txt"] = "a\n" });
        await PrepareAsync(Spec(commit, dependencies: [Dependency("shared/input.txt", "v1")]));
        var input = Path.Combine(_workspace.Root, "shared", "input.txt");
        File.WriteAllText(input, "v9"); // the same size, at once

        await PrepareAsync(Spec(commit, dependencies: [Dependency("shared/input.txt", "v1")]));

        Assert.Equal("v1", File.ReadAllText(input));
    }

    [Fact]
    public async Task Prepare_ForTheSameCommit_RemovesTheLastJobsDependencyArtifact_AndItsFolder_WhenTheNextJobHasNone()
    {
        var commit = _remote.Commit(new Dictionary<string, string?> { ["a.txt"] = "a\n" });
        await PrepareAsync(Spec(commit, dependencies: [Dependency("shared/deep/input.txt", "v1")]));

        await PrepareAsync(Spec(commit));

        Assert.False(Directory.Exists(Path.Combine(_workspace.Root, "shared")));
    }

    [Fact]
    public async Task Prepare_ForTheSameCommit_TheDependencyArtifactWinsOverAnUntrackedFileAtItsPath()
    {
        var commit = _remote.Commit(new Dictionary<string, string?> { ["a.txt"] = "a\n" });
        await PrepareAsync(Spec(commit, dependencies: [Dependency("shared/input.txt", "v1")]));
        var untracked = _blobs.Put(new TarBuilder().File("shared/input.txt", "untracked").Build());

        await PrepareAsync(Spec(commit, untracked: untracked, dependencies: [Dependency("shared/input.txt", "v1")]));

        Assert.Equal("v1", File.ReadAllText(Path.Combine(_workspace.Root, "shared", "input.txt")));
    }

    [Fact]
    public async Task Prepare_ForTheSameCommit_ExtractsAnUntrackedFolderWhereTheLastJobHadADependencyArtifactFile()
    {
        var commit = _remote.Commit(new Dictionary<string, string?> { ["a.txt"] = "a\n" });
        await PrepareAsync(Spec(commit, dependencies: [Dependency("data", "a file")]));
        var untracked = _blobs.Put(new TarBuilder().Directory("data").File("data/notes.txt", "notes\n").Build());

        await PrepareAsync(Spec(commit, untracked: untracked));

        Assert.Equal("notes\n", Read("data/notes.txt"));
    }

    [Fact]
    public async Task Prepare_ForTheSameCommit_AppliesADiffThatAddsAFileWhereADependencyArtifactWasKept()
    {
        var commit = _remote.Commit(new Dictionary<string, string?> { ["a.txt"] = "a\n" });
        await PrepareAsync(Spec(commit, dependencies: [Dependency("notes.txt", "from the dependency")]));
        File.WriteAllText(Path.Combine(_remote.ClonePath, "notes.txt"), "added, not committed\n");
        Git.Run(_remote.ClonePath, "add", "notes.txt");
        var diff = _blobs.Put(Encoding.UTF8.GetBytes(Git.Run(_remote.ClonePath, "diff", "--binary", "HEAD") + "\n"));

        await PrepareAsync(Spec(commit, diff, dependencies: [Dependency("notes.txt", "from the dependency")]));

        Assert.Equal("from the dependency", Read("notes.txt"));
    }

    [Fact]
    public async Task Prepare_Fails_WhenADependencyArtifactDoesNotMatchItsHash()
    {
        var commit = _remote.Commit(new Dictionary<string, string?> { ["a.txt"] = "a\n" });
        var claimed = new string('d', 64);
        _blobs.PutCorrupt(claimed, Encoding.UTF8.GetBytes("tampered"));
        var dependency = new DependencyArtifacts
        {
            JobId = "abcdef123456",
            Workflow = "download-model",
            Files = [new ArtifactFile { Artifact = "models", Path = "models/m.bin", Size = 8, Sha256 = claimed }],
        };

        var error = await Assert.ThrowsAsync<WorkspacePreparationException>(() => PrepareAsync(Spec(commit, dependencies: [dependency])));

        Assert.StartsWith("artifact file 'models/m.bin' of dependency download-model (abcdef123456) is corrupt", error.Reason);
        Assert.False(File.Exists(Path.Combine(_workspace.Root, "models", "m.bin")));
    }

    [Fact]
    public async Task Prepare_RefusesADependencyArtifactPathWithDotDot()
    {
        var commit = _remote.Commit(new Dictionary<string, string?> { ["a.txt"] = "a\n" });
        var blob = _blobs.Put(Encoding.UTF8.GetBytes("x"));
        var dependency = new DependencyArtifacts
        {
            JobId = "abcdef123456",
            Workflow = "w",
            Files = [new ArtifactFile { Artifact = "x", Path = "../x", Size = 1, Sha256 = blob }],
        };

        var error = await Assert.ThrowsAsync<WorkspacePreparationException>(() => PrepareAsync(Spec(commit, dependencies: [dependency])));

        Assert.Contains("'..'", error.Reason);
    }

    [Fact]
    public async Task Prepare_PutsAResumedJobsFilesBack_BeforeItsCommandsRun_OverTheDependencysCopy()
    {
        var commit = _remote.Commit(new Dictionary<string, string?> { ["src/train.py"] = "train\n" });
        var fromDependency = _blobs.Put(Encoding.UTF8.GetBytes("step 0\n"));
        var saved = _blobs.Put(Encoding.UTF8.GetBytes("step 41\n"));
        var script = _blobs.Put(Encoding.UTF8.GetBytes("echo resumed\n"));
        var dependency = new DependencyArtifacts
        {
            JobId = "abcdef123456",
            Workflow = "prepare",
            Files = [new ArtifactFile { Artifact = "ckpt", Path = "ckpt/step.txt", Size = 7, Sha256 = fromDependency }],
        };
        ArtifactFile[] restore =
        [
            new() { Artifact = "ckpt", Path = "ckpt/step.txt", Size = 8, Sha256 = saved },
            new() { Artifact = "ckpt", Path = "ckpt/deep/resume.sh", Size = 13, Sha256 = script, Mode = 0x1ED },
        ];
        var workDir = await PrepareAsync(Spec(commit, workingDir: "src", dependencies: [dependency], restore: restore));
        using var spool = LogSpool.Create(_temp.Combine("spool", "job.log"));
        var commands = JobScript.Write(_temp.Combine("scripts"), 0, ["cat ckpt/step.txt", "./ckpt/deep/resume.sh"]);
        using var process = JobProcess.Start(commands, workDir, new JobMarker("abcdef654321", 2), new Dictionary<string, string>(), spool);

        var exit = await process.WaitAsync(CancellationToken.None);

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal("step 41\nresumed\n", Encoding.UTF8.GetString(SpoolContent.Bytes(spool.Path, LogStream.Stdout)));
        File.WriteAllText(Path.Combine(workDir, "ckpt", "step.txt"), "step 42\n");
        Assert.Equal("step 41\n", Encoding.UTF8.GetString(_blobs.Get(saved))); // a copy, not a link into the store
    }

    [Fact]
    public async Task Prepare_Fails_WhenARestoredFileDoesNotMatchItsHash()
    {
        var commit = _remote.Commit(new Dictionary<string, string?> { ["a.txt"] = "a\n" });
        var claimed = new string('e', 64);
        _blobs.PutCorrupt(claimed, Encoding.UTF8.GetBytes("tampered"));
        ArtifactFile[] restore = [new() { Artifact = "ckpt", Path = "ckpt/step.txt", Size = 8, Sha256 = claimed }];

        var error = await Assert.ThrowsAsync<WorkspacePreparationException>(() => PrepareAsync(Spec(commit, restore: restore)));

        Assert.StartsWith("artifact file 'ckpt/step.txt' of the previous attempt is corrupt", error.Reason);
    }

    [Fact]
    public async Task Prepare_ForTheSameCommit_RunsNoGit_WhenThePreviousJobLeftOnlyUntrackedFiles()
    {
        var commit = _remote.Commit(new Dictionary<string, string?> { ["src/train.py"] = "v1\n", [".gitignore"] = "*.log\n" });
        await PrepareAsync(Spec(commit));
        var outside = _temp.Combine("outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "keep.txt"), "not the workspace's");
        Directory.CreateDirectory(Path.Combine(_workspace.Root, "out", "deep"));
        File.WriteAllText(Path.Combine(_workspace.Root, "out", "deep", "r.txt"), "artifact");
        File.WriteAllText(Path.Combine(_workspace.Root, "src", "scratch.py"), "untracked next to a tracked file");
        File.WriteAllText(Path.Combine(_workspace.Root, "run.log"), "ignored");
        File.CreateSymbolicLink(Path.Combine(_workspace.Root, "data"), outside);
        // `git checkout` writes a new index every time: the same index file afterwards means git did not run.
        var index = FileStamp.Read(Path.Combine(_workspace.Root, ".git", "index"));

        await PrepareAsync(Spec(commit));

        Assert.Equal(["/.git", "/.gitignore", "/src", "/src/train.py"],
            Directory.GetFileSystemEntries(_workspace.Root, "*", SearchOption.AllDirectories)
                .Select(p => p[_workspace.Root.Length..]).Where(p => !p.StartsWith("/.git/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal("v1\n", Read("src/train.py"));
        Assert.Equal("not the workspace's", File.ReadAllText(Path.Combine(outside, "keep.txt")));
        Assert.Equal(index, FileStamp.Read(Path.Combine(_workspace.Root, ".git", "index")));
    }

    [Fact]
    public async Task Prepare_ChecksOutDespiteTheLocksOfAGitKilledHalfWay()
    {
        await PrepareAsync(Spec(_remote.Commit(new Dictionary<string, string?> { ["a.txt"] = "a\n" })));
        File.WriteAllText(Path.Combine(_workspace.Root, ".git", "index.lock"), ""); // as a checkout stopped by a stop order leaves it
        File.WriteAllText(Path.Combine(_workspace.Root, ".git", "HEAD.lock"), "");

        await PrepareAsync(Spec(_remote.Commit(new Dictionary<string, string?> { ["b.txt"] = "b\n" })));

        Assert.Equal("b\n", Read("b.txt"));
    }

    [Fact]
    public async Task Prepare_ForTheSameCommit_RemovesALeftoverWhoseNameIsNotUtf8()
    {
        var commit = _remote.Commit(new Dictionary<string, string?> { ["a.txt"] = "a\n" });
        await PrepareAsync(Spec(commit));
        // .NET cannot write this name (its strings are UTF-16): the job's shell can.
        var shell = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash", ["-c", "touch $'\\xff\\xfe.bin'"])
        {
            WorkingDirectory = _workspace.Root,
            UseShellExecute = false,
        })!;
        await shell.WaitForExitAsync();
        Assert.Equal(0, shell.ExitCode);
        Assert.Equal(3, Directory.GetFileSystemEntries(_workspace.Root).Length); // .git, a.txt and the odd one

        await PrepareAsync(Spec(commit));

        Assert.Equal([".git", "a.txt"], Directory.GetFileSystemEntries(_workspace.Root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Prepare_ForTheSameCommit_PutsBackTrackedFilesThePreviousJobChanged()
    {
        var commit = _remote.Commit(new Dictionary<string, string?> { ["a.txt"] = "v1\n", ["config/b.txt"] = "b\n", ["run.sh"] = "echo\n" });
        await PrepareAsync(Spec(commit));
        var outside = _temp.Combine("outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "b.txt"), "not the workspace's");
        File.WriteAllText(Path.Combine(_workspace.Root, "a.txt"), "v2\n"); // the same size, at once
        Directory.Delete(Path.Combine(_workspace.Root, "config"), recursive: true);
        File.CreateSymbolicLink(Path.Combine(_workspace.Root, "config"), outside);
        File.SetUnixFileMode(Path.Combine(_workspace.Root, "run.sh"), (UnixFileMode)Convert.ToInt32("755", 8));

        await PrepareAsync(Spec(commit));

        Assert.Equal("v1\n", Read("a.txt"));
        Assert.Null(new FileInfo(Path.Combine(_workspace.Root, "config")).LinkTarget);
        Assert.Equal("b\n", Read("config/b.txt"));
        Assert.Equal("not the workspace's", File.ReadAllText(Path.Combine(outside, "b.txt")));
        Assert.Equal((UnixFileMode)Convert.ToInt32("644", 8), File.GetUnixFileMode(Path.Combine(_workspace.Root, "run.sh")));
    }

    [Fact]
    public async Task Prepare_ForTheSameCommit_PutsBackTheIndexThePreviousJobChanged()
    {
        var commit = _remote.Commit(new Dictionary<string, string?> { ["a.txt"] = "a\n" });
        await PrepareAsync(Spec(commit));
        File.WriteAllText(Path.Combine(_workspace.Root, "new.txt"), "staged by the job");
        Assert.True((await GitProcess.RunAsync(_workspace.Root, ["add", "new.txt"], null, CancellationToken.None)).Succeeded);

        await PrepareAsync(Spec(commit));

        var status = await GitProcess.RunAsync(_workspace.Root, ["status", "--porcelain"], null, CancellationToken.None);
        Assert.Equal("", status.Stdout);
        Assert.False(File.Exists(Path.Combine(_workspace.Root, "new.txt")));
    }

    public void Dispose()
    {
        _mirrors.Dispose();
        _temp.Dispose();
    }
}
