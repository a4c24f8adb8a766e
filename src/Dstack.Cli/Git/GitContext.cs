using System.Formats.Tar;
using System.Text;
using Dstack.Cli.Artifacts;
using Dstack.Cli.Terminal;

namespace Dstack.Cli.Git;

/// <summary>
/// What `dstack` needs to know about the repository it runs in: its root, remote, branch and commit, and the
/// uncommitted changes that travel with a run. Each piece is asked of git only when a command needs it.
/// </summary>
public sealed class GitContext
{
    public const long DefaultUntrackedLimitBytes = 100L * 1024 * 1024;

    private readonly Task<string?> _branch;
    private readonly Task<GitCommand.Result> _remoteConfig;
    private Task<IReadOnlyList<string>>? _changedTracked;

    private GitContext(string root, Task<string?> branch, Task<GitCommand.Result> remoteConfig)
    {
        Root = root;
        _branch = branch;
        _remoteConfig = remoteConfig;
    }

    /// <summary>Top-level folder of the working tree.</summary>
    public string Root { get; }

    /// <summary>The repository containing directory; a clear error outside one.</summary>
    public static async Task<GitContext> DiscoverAsync(string directory, CancellationToken ct = default)
    {
        if (!Directory.Exists(directory)) throw NotARepository();
        // What every command that talks to the server about this repository needs (its root, branch, remotes and
        // upstreams) takes two small git processes side by side: one for the folders, one for the configuration.
        var remoteConfig = GitCommand.RunAsync(directory, ["config", "-z", "--get-regexp", RemoteConfig.Pattern], ct);
        var folders = await GitCommand.RunAsync(directory, ["rev-parse", "--show-toplevel", "--absolute-git-dir"], ct);
        var lines = folders.Text.Split('\n');
        if (folders.ExitCode != 0 || lines.Length < 2 || lines[0].Length == 0) throw NotARepository();
        return new GitContext(lines[0], ReadBranchAsync(directory, lines[1], ct), remoteConfig);
    }

    /// <summary>
    /// False when no folder from <paramref name="directory"/> up holds a .git (and GIT_DIR is not set): git would refuse.
    /// A quick look with no process, so a command can start other work beside git's answer only where one will come.
    /// </summary>
    public static bool MayBeInRepository(string directory)
    {
        if (Environment.GetEnvironmentVariable("GIT_DIR") is { Length: > 0 }) return true;
        for (var folder = directory; !string.IsNullOrEmpty(folder); folder = Path.GetDirectoryName(folder))
        {
            if (Path.Exists(Path.Combine(folder, ".git"))) return true;
        }
        return false;
    }

    private static CliException NotARepository() => new("not a git repository: run dstack from the folder of your repository");

    /// <summary>The current branch, or null on a detached HEAD.</summary>
    public Task<string?> GetBranchAsync(CancellationToken ct = default) => _branch.WaitAsync(ct);

    /// <summary>
    /// The branch from GIT_DIR/HEAD ("ref: refs/heads/NAME"; a commit id when detached), which is all `git symbolic-ref`
    /// reads; git is asked only when the file says something else (a reftable repository's placeholder).
    /// </summary>
    private static async Task<string?> ReadBranchAsync(string directory, string gitDir, CancellationToken ct)
    {
        const string reference = "ref: refs/heads/";
        string head;
        try
        {
            var file = Path.Combine(gitDir, "HEAD");
            // A HEAD that is a symbolic link (core.preferSymlinkRefs) names its branch by the link: git knows how to read it.
            head = File.ResolveLinkTarget(file, returnFinalTarget: false) is null ? (await File.ReadAllTextAsync(file, ct)).TrimEnd('\n', '\r') : "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            head = "";
        }
        if (head.StartsWith(reference, StringComparison.Ordinal) && head.Length > reference.Length && head != reference + ".invalid")
        {
            return head[reference.Length..];
        }
        if (head.Length is 40 or 64 && head.All(char.IsAsciiHexDigitLower)) return null;
        var result = await GitCommand.RunAsync(directory, ["symbolic-ref", "--short", "-q", "HEAD"], ct);
        return result.ExitCode == 0 && result.Text.Length > 0 ? result.Text : null;
    }

    /// <summary>
    /// HEAD's commit, its tree, and whether a remote-tracking branch points at that very commit, in one git call: a commit
    /// just pushed is known to be on the remote without asking again (<see cref="IsOnRemoteAsync"/>).
    /// </summary>
    public async Task<HeadCommit> GetHeadAsync(CancellationToken ct = default)
    {
        // %D lists the refs at the commit, narrowed to the remote-tracking ones (were it empty for another reason, that would
        // only cost the second question). No signature check, no colour, whatever the config. The trailing `--` makes git
        // read HEAD as a revision even if a file is named like it.
        var result = await GitCommand.RunAsync(Root,
            ["log", "-1", "--no-show-signature", "--no-color", "--decorate-refs=refs/remotes/", "--format=%H%n%T%n%D", "HEAD", "--"], ct);
        var lines = result.Text.Split('\n', StringSplitOptions.TrimEntries);
        if (result.ExitCode != 0 || lines.Length < 2 || lines[0].Length == 0 || lines[1].Length == 0)
        {
            // Git's message is in the user's language: whether HEAD names anything at all tells the missing first commit
            // from the rest (a broken repository, a git too old for --decorate-refs), which is said in git's own words.
            var named = await GitCommand.RunAsync(Root, ["rev-parse", "--verify", "--quiet", "HEAD"], ct);
            if (named.ExitCode != 0) throw new CliException("the repository has no commit yet: commit your work and push it first");
            throw new CliException($"git log failed: {result.Error.Trim()}");
        }
        return new HeadCommit(lines[0], lines[1], AtARemoteBranch: lines.Length > 2 && lines[2].Length > 0);
    }

    /// <summary>
    /// The URL runners clone: the current branch's upstream remote, else `origin`, else the only remote.
    /// A local path is made absolute, since the server and runners do not share our working directory.
    /// </summary>
    public async Task<string> GetRemoteUrlAsync(CancellationToken ct = default)
    {
        var url = await GetRawRemoteUrlAsync(ct);
        return IsLocalPath(url) ? Path.GetFullPath(url, Root) : RemoteUrl.Parse(url).Url;
    }

    /// <summary>The password or token written inside the remote URL (`https://user:TOKEN@host/...`), if any.</summary>
    public async Task<string?> GetRemoteUrlPasswordAsync(CancellationToken ct = default) =>
        RemoteUrl.Parse(await GetRawRemoteUrlAsync(ct)).EmbeddedPassword;

    private async Task<string> GetRawRemoteUrlAsync(CancellationToken ct)
    {
        var listing = await _remoteConfig.WaitAsync(ct);
        // Exit code 1: no key matched, i.e. no remote at all.
        if (listing.ExitCode is not (0 or 1)) throw new CliException($"git config failed: {listing.Error}");
        var config = RemoteConfig.Parse(Encoding.UTF8.GetString(listing.Output));
        var branch = await GetBranchAsync(ct);
        if (config.Remotes.Count == 0)
        {
            throw new CliException("the repository has no remote: add one (git remote add origin URL) and push");
        }
        var remote = (branch is null ? null : config.UpstreamOf(branch))
            ?? (config.Remotes.Contains("origin") ? "origin" : config.Remotes.Count == 1 ? config.Remotes[0] : null);
        if (remote is null)
        {
            throw new CliException(
                $"the repository has several remotes ({string.Join(", ", config.Remotes)}) and none is `origin` or the current branch's upstream: " +
                "set an upstream (git branch --set-upstream-to REMOTE/BRANCH)");
        }
        return config.FetchUrl(remote);
    }

    /// <summary>True when HEAD is on the remote: a remote-tracking branch points at it (no question asked), or contains it.</summary>
    public async Task<bool> IsOnRemoteAsync(HeadCommit head, CancellationToken ct = default) =>
        head.AtARemoteBranch || await IsOnRemoteAsync(head.Commit, ct);

    /// <summary>True when a remote-tracking branch contains the commit, i.e. runners can fetch it.</summary>
    public async Task<bool> IsOnRemoteAsync(string commit, CancellationToken ct = default)
    {
        var result = await GitCommand.RunCheckedAsync(Root, ["branch", "-r", "--contains", commit], ct);
        return result.Text.Trim().Length > 0;
    }

    /// <summary>
    /// `git diff --binary HEAD`: the tracked changes, staged or not, exactly as `git apply` takes them, whatever the
    /// user's diff settings (an external diff tool, textconv filters, colours or other prefixes would each make a patch the
    /// runner cannot apply; diff.relative changes nothing, git runs in the root).
    /// </summary>
    public async Task<byte[]> GetTrackedDiffAsync(CancellationToken ct = default) =>
        (await GitCommand.RunCheckedAsync(Root,
            ["diff", "--binary", "--no-ext-diff", "--no-textconv", "--no-color", "--src-prefix=a/", "--dst-prefix=b/", "HEAD"], ct)).Output;

    /// <summary>
    /// Tracked files whose working-tree state differs from HEAD (staged or not, deleted included), relative to the root.
    /// A file only touched is not listed: git compares content when the timestamps differ. Asked of git once: a command
    /// may start the question early and take the answer where it needs it.
    /// </summary>
    public Task<IReadOnlyList<string>> GetChangedTrackedFilesAsync(CancellationToken ct = default) =>
        _changedTracked ??= ReadChangedTrackedFilesAsync(ct);

    private async Task<IReadOnlyList<string>> ReadChangedTrackedFilesAsync(CancellationToken ct)
    {
        var output = (await GitCommand.RunCheckedAsync(Root, ["diff", "--name-only", "-z", "--no-renames", "HEAD"], ct)).Output;
        return Encoding.UTF8.GetString(output).Split('\0', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// The git object id (blob or tree) of each path in the commit, null where the commit has nothing there: one
    /// `git cat-file --batch-check` for all of them.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string?>> GetObjectIdsAsync(string commit, IReadOnlyList<string> paths, CancellationToken ct = default)
    {
        var ids = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (paths.Count == 0) return ids;
        var bad = paths.FirstOrDefault(p => p.Contains('\n', StringComparison.Ordinal) || p.Contains('\r', StringComparison.Ordinal));
        if (bad is not null)
        {
            throw new CliException($"the included path '{bad.ReplaceLineEndings(" ")}' holds a line break: rename it in depends-on: repo: include");
        }
        var input = Encoding.UTF8.GetBytes(string.Concat(paths.Select(p => $"{commit}:{p}\n")));
        var lines = (await GitCommand.RunCheckedAsync(Root, ["cat-file", "--batch-check=%(objectname)"], input, ct)).Text.Split('\n');
        if (lines.Length != paths.Count)
        {
            throw new CliException($"git cat-file answered {lines.Length} lines for {paths.Count} paths: {string.Join(" | ", lines)}");
        }
        for (var i = 0; i < paths.Count; i++)
        {
            // "COMMIT:PATH missing" where the commit has no such path; else the object id alone.
            ids[paths[i]] = lines[i].EndsWith(" missing", StringComparison.Ordinal) ? null : lines[i].Trim();
        }
        return ids;
    }

    /// <summary>Untracked, non-ignored files, relative to the root with '/' separators.</summary>
    public async Task<IReadOnlyList<string>> GetUntrackedFilesAsync(CancellationToken ct = default)
    {
        var output = (await GitCommand.RunCheckedAsync(Root, ["ls-files", "--others", "--exclude-standard", "-z"], ct)).Output;
        return Encoding.UTF8.GetString(output).Split('\0', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// Packs the untracked files (as <see cref="GetUntrackedFilesAsync"/> listed them) into a tar in a temp file
    /// (streamed, never in memory), or returns null when there are none. Refused above limitBytes, naming the largest
    /// files so the user knows what to ignore.
    /// </summary>
    public async Task<UntrackedArchive?> PackUntrackedAsync(IReadOnlyList<string> files, long limitBytes, CancellationToken ct = default)
    {
        if (files.Count == 0) return null;
        var total = CheckUntrackedSize(files, limitBytes);
        var tarPath = Path.Combine(Path.GetTempPath(), $"dstack-untracked-{Guid.NewGuid():N}.tar");
        var archive = new UntrackedArchive(tarPath, files.Count, total);
        try
        {
            // 0600: the untracked files may hold secrets (.env), and the temp folder is shared.
            await using var stream = new FileStream(tarPath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 1 << 16,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            await using var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: false);
            foreach (var file in files)
            {
                await writer.WriteEntryAsync(Path.Combine(Root, file), file, ct);
            }
        }
        catch
        {
            archive.Dispose();
            throw;
        }
        return archive;
    }

    /// <summary>The untracked files' total size; refused above limitBytes, naming the largest files so the user knows what to ignore.</summary>
    public long CheckUntrackedSize(IReadOnlyList<string> files, long limitBytes)
    {
        var sizes = files.Select(f => (Path: f, Size: SizeOf(Path.Combine(Root, f)))).ToList();
        var total = sizes.Sum(s => s.Size);
        if (total > limitBytes)
        {
            var largest = sizes.OrderByDescending(s => s.Size).Take(5).Select(s => $"{s.Path} ({HumanSize.Format(s.Size)})");
            throw new CliException(
                $"the untracked files take {HumanSize.Format(total)}, above the limit of {HumanSize.Format(limitBytes)}; the largest: " +
                $"{string.Join(", ", largest)}. Add them to .gitignore, commit them, or raise the limit with DSTACK_MAX_UNTRACKED_MB");
        }
        return total;
    }

    /// <summary>The untracked size limit: DSTACK_MAX_UNTRACKED_MB, else 100 MB.</summary>
    public static long UntrackedLimitBytes(string? maxUntrackedMb)
    {
        if (maxUntrackedMb is null) return DefaultUntrackedLimitBytes;
        if (!long.TryParse(maxUntrackedMb, out var mb) || mb < 0)
        {
            throw new CliException($"DSTACK_MAX_UNTRACKED_MB is '{maxUntrackedMb}': set it to a whole number of megabytes");
        }
        return mb * 1024 * 1024;
    }

    private static long SizeOf(string path)
    {
        var info = new FileInfo(path);
        // A symbolic link travels as a link, not as what it points to.
        return info.LinkTarget is not null ? 0 : info.Exists ? info.Length : 0;
    }

    /// <summary>URLs with a scheme (https://, ssh://, file://) and scp-like `user@host:path` are not local paths.</summary>
    internal static bool IsLocalPath(string url)
    {
        if (url.Contains("://", StringComparison.Ordinal)) return false;
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var slash = url.IndexOf('/', StringComparison.Ordinal);
        return colon < 0 || (slash >= 0 && slash < colon);
    }
}
