using System.Text;

namespace Dstack.Runner.Workspace;

/// <summary>
/// A bare mirror of one repository, shared by the runner's slots: each slot's workspace borrows its
/// objects, so a job costs a fetch of what is new (and nothing when the commit is already there), never a clone.
/// </summary>
public sealed class RepoMirror(string url, string path) : IDisposable
{
    private readonly SemaphoreSlim _fetchLock = new(1, 1);
    private readonly HashSet<string> _knownCommits = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _knownLock = new();

    public string Url { get; } = url;

    /// <summary>The mirror's git folder (a bare repository).</summary>
    public string Path { get; } = path;

    public string ObjectsPath => System.IO.Path.Combine(Path, "objects");

    /// <summary>Makes sure the commit is in the mirror, fetching the remote only when it is missing.</summary>
    public async Task EnsureCommitAsync(string commit, GitCredentialEnvironment credential, CancellationToken ct)
    {
        if (IsKnown(commit)) return;
        await _fetchLock.WaitAsync(ct);
        try
        {
            if (IsKnown(commit)) return;
            if (!Directory.Exists(ObjectsPath))
            {
                var init = await GitProcess.RunAsync(null, ["init", "--quiet", "--bare", Path], null, ct);
                if (!init.Succeeded) throw new WorkspacePreparationException($"could not create the mirror of {DisplayUrl}: {init.FirstErrorLine()}", init.Stderr);
                await GitProcess.RunAsync(Path, ["config", "gc.auto", "0"], null, ct); // workspaces borrow these objects: never prune them under a job
            }
            if (!await HasCommitAsync(commit, ct))
            {
                await FetchAsync(commit, credential, ct);
            }
            lock (_knownLock) _knownCommits.Add(commit);
        }
        finally
        {
            _fetchLock.Release();
        }
    }

    private async Task FetchAsync(string commit, GitCredentialEnvironment credential, CancellationToken ct)
    {
        var fetch = await GitProcess.RunAsync(Path,
            [.. WholePacks, "fetch", "--quiet", "--force", "--no-tags", "--", Url, "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"],
            credential.Variables, ct);
        if (!fetch.Succeeded)
            throw new WorkspacePreparationException($"could not fetch {DisplayUrl}: {fetch.FirstErrorLine()}", fetch.Stderr);
        if (await HasCommitAsync(commit, ct)) return;

        // Not on any branch or tag (a pull request's ref, a force-pushed branch): ask for the commit itself.
        var byId = await GitProcess.RunAsync(Path, [.. WholePacks, "fetch", "--quiet", "--no-tags", "--", Url, commit], credential.Variables, ct);
        if (!byId.Succeeded || !await HasCommitAsync(commit, ct))
        {
            var message = $"commit {commit} is not in {DisplayUrl}; push it first";
            throw new WorkspacePreparationException(message, Encoding.UTF8.GetBytes(message + "\n").Concat(byId.Stderr).ToArray());
        }
    }

    /// <summary>
    /// Fetched objects are kept as one pack, put in place whole when complete, never unpacked one by one: a fetch killed
    /// half-way (a stop order during a job's first checkout) must not leave a commit whose files are missing, which the
    /// check below would take for a commit that is there.
    /// </summary>
    private static readonly string[] WholePacks = ["-c", "fetch.unpackLimit=1"];

    private async Task<bool> HasCommitAsync(string commit, CancellationToken ct)
    {
        var check = await GitProcess.RunAsync(Path, ["cat-file", "-e", commit + "^{commit}"], null, ct);
        return check.Succeeded;
    }

    private bool IsKnown(string commit)
    {
        lock (_knownLock) return _knownCommits.Contains(commit);
    }

    /// <summary>The URL without any user:password part, safe for reasons and logs.</summary>
    public string DisplayUrl => RedactUrl(Url);

    public static string RedactUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.UserInfo) && uri.Scheme is "http" or "https"
            ? url.Replace(uri.UserInfo + "@", "", StringComparison.Ordinal)
            : url;

    public void Dispose() => _fetchLock.Dispose();
}
