using Dstack.Contracts.Runner;
using Dstack.Runner.Blobs;
using Dstack.Runner.Files;

namespace Dstack.Runner.Workspace;

/// <summary>
/// The one workspace of a runner slot (`HOME/slots/N/ws`), reused job after job: creating files is the
/// slow part on these disks, so a job resets the checkout (`checkout -f` + `clean -ffdx`, milliseconds)
/// instead of building a tree, and the next job of the same commit resets it without git when the tracked files
/// are as the checkout left them (<see cref="CheckoutSnapshot"/>). Its .git borrows the mirrors' objects through
/// objects/info/alternates.
/// </summary>
public sealed class SlotWorkspace(string slotFolder, MirrorStore mirrors)
{
    private HashSet<string>? _alternates;
    private CheckoutSnapshot? _checkout;

    public string Root { get; } = Path.Combine(slotFolder, "ws");

    private PlacedArtifacts Placed => _placedArtifacts ??= new PlacedArtifacts(Root);
    private PlacedArtifacts? _placedArtifacts;

    /// <summary>Small files the resets remove, kept for the placements to write again (see <see cref="SpareFiles"/>).</summary>
    private SpareFiles Spares => _spares ??= new SpareFiles(Path.Combine(slotFolder, "spare"));
    private SpareFiles? _spares;

    private string GitFolder => Path.Combine(Root, ".git");

    /// <summary>Prepares the workspace for the job and returns its working dir (absolute).</summary>
    public async Task<string> PrepareAsync(JobSpec spec, IBlobTransfer blobs, string tempFolder, Action<string> warn, CancellationToken ct)
    {
        var mirror = mirrors.For(spec.RepoUrl);
        using (var credential = GitCredentialEnvironment.Create(spec.Credential, tempFolder))
        {
            await mirror.EnsureCommitAsync(spec.Commit, credential, ct);
        }
        await EnsureBorrowsAsync(mirror, ct);
        ResetGitFolder();
        if (_checkout?.Commit != spec.Commit || !_checkout.TryReset(Root, Placed, Spares))
        {
            _checkout = null;
            Placed.Clear();
            // Clean first: what the last job left (untracked, ignored, nested repositories) goes, so no leftover
            // folder can stand where the new commit has a file; then the checkout resets and switches the tracked files.
            await GitAsync("could not clean the workspace", ct, "clean", "-ffdxq");
            await GitAsync($"could not check out commit {spec.Commit}", ct, "checkout", "--quiet", "--force", "--detach", spec.Commit);
            _checkout = await CheckoutSnapshot.TakeAsync(Root, spec.Commit, ct);
        }

        // Of the artifacts kept from the last job, only what this one needs stays, before anything else is written. The
        // uncommitted changes may add a file where one was kept (git apply would refuse to write over it): such a run
        // starts with none kept (its artifacts are placed again below).
        Placed.KeepOnly(spec.DiffBlob is null ? NeededArtifacts(spec) : [], Spares);
        if (spec.DiffBlob is not null) await ApplyDiffAsync(spec.DiffBlob, blobs, tempFolder, ct);
        if (spec.UntrackedBlob is not null) await ExtractUntrackedAsync(spec.UntrackedBlob, blobs, warn, ct);

        var workingDir = RelativePath.Normalize(spec.WorkingDir, out var error)
            ?? throw new WorkspacePreparationException($"working_dir {spec.WorkingDir} {error}");
        var workDir = workingDir == "." ? Root : Path.Combine(Root, workingDir);
        if (!Directory.Exists(workDir) || RelativePath.HasLinkOnTheWay(Root, workingDir + "/x"))
            throw new WorkspacePreparationException($"working_dir {spec.WorkingDir} does not exist");
        // The folders the job and its artifacts create are spread over the disk's block groups (see TopDirectoryFlag).
        TopDirectoryFlag.TrySet(Root);
        if (workDir != Root) TopDirectoryFlag.TrySet(workDir);
        await ArtifactPlacer.PlaceDependenciesAsync(spec.Dependencies, workDir, blobs, Placed, Spares, ct);
        await ArtifactPlacer.RestoreAsync(spec.Restore, workDir, blobs, Placed, Spares, ct);
        return workDir;
    }

    /// <summary>The artifact files the job's placements will write, relative to the workspace (none if a path is refused: placing will say why).</summary>
    private static List<PlacedArtifacts.Needed> NeededArtifacts(JobSpec spec)
    {
        var needed = new List<PlacedArtifacts.Needed>();
        if (RelativePath.Normalize(spec.WorkingDir, out _) is not { } workingDir) return needed;
        foreach (var file in spec.Dependencies.SelectMany(d => d.Files).Concat(spec.Restore))
        {
            if (RelativePath.Normalize(file.Path, out _) is not { } relative || relative == ".") return [];
            needed.Add(new(workingDir == "." ? relative : workingDir + "/" + relative, file.Sha256, file.Mode & 0x1FF));
        }
        return needed;
    }

    private async Task EnsureBorrowsAsync(RepoMirror mirror, CancellationToken ct)
    {
        var alternatesFile = Path.Combine(GitFolder, "objects", "info", "alternates");
        if (_alternates is null)
        {
            if (!Directory.Exists(GitFolder))
            {
                CreateRoot();
                var init = await GitProcess.RunAsync(Root, ["init", "--quiet"], null, ct);
                if (!init.Succeeded) throw new WorkspacePreparationException($"could not create the workspace: {init.FirstErrorLine()}", init.Stderr);
                await GitAsync("could not configure the workspace", ct, "config", "gc.auto", "0");
            }
            _alternates = File.Exists(alternatesFile) ? [.. File.ReadAllLines(alternatesFile)] : [];
        }
        if (_alternates.Contains(mirror.ObjectsPath)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(alternatesFile)!);
        await File.AppendAllTextAsync(alternatesFile, mirror.ObjectsPath + "\n", ct);
        _alternates.Add(mirror.ObjectsPath);
    }

    /// <summary>
    /// Creates the workspace folder where no recent churn is (ADR 0012). Files a job writes in the workspace root get
    /// their inodes from the root's block group; on ext4 without a journal each such creation scans past every inode
    /// deleted there in the last minutes. Left to itself the root lands in its parent's group, beside whatever else the
    /// user's home sees deleted (a creation took 0.25-0.8 ms on the bench machine instead of 0.02). The slot folder is
    /// therefore marked a top of hierarchy, so the allocator puts the root in a group with few folders, and the root is
    /// made under a name of its own and renamed: the allocator starts its search from a hash of the name, and with the
    /// same name every time it would choose the group the last workspace of that name was deleted from.
    /// </summary>
    private void CreateRoot()
    {
        if (Directory.Exists(Root)) return;
        Directory.CreateDirectory(slotFolder);
        TopDirectoryFlag.TrySet(slotFolder);
        // Only a runner killed between the two steps below leaves such a folder, empty; a name of its own each time, so one
        // that cannot be removed is in nobody's way.
        foreach (var leftover in Directory.EnumerateDirectories(slotFolder, FreshRootPrefix + "*"))
        {
            if (!IsFreshRootName(Path.GetFileName(leftover))) continue;
            try
            {
                Directory.Delete(leftover);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // not empty, or not ours to remove: left as it is
            }
        }
        var fresh = Path.Combine(slotFolder, FreshRootPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(fresh);
        Directory.Move(fresh, Root);
    }

    private const string FreshRootPrefix = "ws.new-";

    private static bool IsFreshRootName(string name) =>
        name.Length == FreshRootPrefix.Length + 32 && !name.AsSpan(FreshRootPrefix.Length).ContainsAnyExcept("0123456789abcdef");

    private async Task ApplyDiffAsync(string blob, IBlobTransfer blobs, string tempFolder, CancellationToken ct)
    {
        Directory.CreateDirectory(tempFolder);
        var patch = Path.Combine(tempFolder, $"diff-{Guid.NewGuid():N}.patch");
        try
        {
            await BlobFile.DownloadAsync(blobs, blob, patch, null, ct);
            if (new FileInfo(patch).Length == 0) return;
            await GitAsync("could not apply the uncommitted changes", ct, "apply", "--binary", "--whitespace=nowarn", patch);
        }
        finally
        {
            File.Delete(patch);
        }
    }

    private Task ExtractUntrackedAsync(string blob, IBlobTransfer blobs, Action<string> warn, CancellationToken ct) =>
        blobs.ReadAsync(blob, async (stream, token) =>
        {
            var hashing = new HashingStream(stream);
            await UntrackedArchive.ExtractAsync(hashing, Root, warn, token);
            var actual = await hashing.FinishAsync(token);
            if (!string.Equals(actual, blob, StringComparison.OrdinalIgnoreCase))
                throw new WorkspacePreparationException($"the untracked files archive {blob} arrived with SHA-256 {actual}");
            return true;
        }, ct);

    /// <summary>
    /// The previous job ran as the runner's user in this folder and could have planted hooks or config in .git that
    /// git would run during the next job's checkout (hooks, core.fsmonitor, filters): reset them to a known state.
    /// </summary>
    private void ResetGitFolder()
    {
        // A git killed half-way (a stop order during the checkout) leaves its locks: the next one would refuse to start.
        foreach (var stale in new[] { "index.lock", "HEAD.lock" }) File.Delete(Path.Combine(GitFolder, stale));
        foreach (var planted in new[] { "hooks", "info/attributes" }) PathEntry.Delete(Path.Combine(GitFolder, planted));
        // Put back as written here whatever a job did to it; left alone when it is so already (it nearly always is).
        var config = Path.Combine(GitFolder, "config");
        var info = new FileInfo(config);
        if (info.LinkTarget is null && info.Exists && info.Length == WorkspaceGitConfig.Length
            && File.ReadAllBytes(config).AsSpan().SequenceEqual(WorkspaceGitConfig)) return;
        PathEntry.Delete(config);
        File.WriteAllBytes(config, WorkspaceGitConfig);
    }

    private static readonly byte[] WorkspaceGitConfig =
        "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n[gc]\n\tauto = 0\n"u8.ToArray();

    /// <summary>Hooks and fsmonitor never run in a workspace, whatever a job left in it (or in the user's git config).</summary>
    internal static readonly string[] SafeConfig = ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false"];

    private async Task GitAsync(string failure, CancellationToken ct, params string[] arguments)
    {
        var result = await GitProcess.RunAsync(Root, [.. SafeConfig, .. arguments], null, ct);
        if (!result.Succeeded) throw new WorkspacePreparationException($"{failure}: {result.FirstErrorLine()}", result.Stderr);
    }
}
