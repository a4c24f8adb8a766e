using Dstack.Contracts.Runs;

namespace Dstack.Cli.Git;

/// <summary>
/// Computes the code identity a run sends (<see cref="RepoCode"/>): the commit's tree, the hash of the uncommitted
/// changes, and for each included path its object at the commit and the hash of the changes under it. Three git
/// processes at most (changed files, object ids; HEAD and the untracked list are asked by the caller), whatever the
/// number of files.
/// </summary>
public static class RepoCodeReader
{
    /// <param name="untracked">The untracked files, as GitContext.GetUntrackedFilesAsync lists them (the same list the run's tar holds).</param>
    /// <param name="includePaths">Normalized include paths (CodeIdentity.PathsNeeded of the run's workflows).</param>
    public static async Task<RepoCode> ReadAsync(GitContext git, HeadCommit head, IReadOnlyList<string> untracked, IReadOnlyList<string> includePaths, CancellationToken ct = default)
    {
        var changes = await UncommittedChanges.ReadAsync(git.Root, await git.GetChangedTrackedFilesAsync(ct), untracked, ct);
        var objects = await git.GetObjectIdsAsync(head.Commit, includePaths, ct);
        var paths = new SortedDictionary<string, PathCode>(StringComparer.Ordinal);
        foreach (var path in includePaths)
        {
            paths[path] = new PathCode { Object = objects[path], Changes = changes.HashUnder(path) };
        }
        return new RepoCode { Tree = head.Tree, Changes = changes.Hash(), Paths = paths };
    }
}
