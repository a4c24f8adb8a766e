using Dstack.Contracts.Runs;
using Dstack.Core.Planning;
using Dstack.Core.Workflows;

namespace Dstack.Core.Caching;

/// <summary>
/// The code part of a cache key. Without include paths: the commit's tree and every uncommitted change. With them:
/// only each included path's object at the commit and the uncommitted changes under it, so an edit elsewhere
/// leaves the key alone. Entry names say which is which, for <see cref="CacheKeyComparison"/>.
/// </summary>
public static class CodeIdentity
{
    public const string TreeEntry = "tree";
    public const string ChangesEntry = "changes";
    public const string ObjectSuffix = " object";
    public const string ChangesSuffix = " changes";
    private const string None = "none";

    /// <summary>Throws <see cref="PlanningException"/> when the request lacks the identity of an included path.</summary>
    public static IReadOnlyDictionary<string, string> Of(RepoCode code, IReadOnlyList<string> includes)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var paths = RepoIncludePath.NormalizeAll(includes);
        if (paths.Count == 0)
        {
            entries[TreeEntry] = code.Tree;
            entries[ChangesEntry] = code.Changes ?? None;
            return entries;
        }
        foreach (var path in paths)
        {
            if (!code.Paths.TryGetValue(path, out var identity))
            {
                throw new PlanningException($"the run request carries no code identity for the included path '{path}': the client must send one for every path in 'depends-on: repo: include'.");
            }
            entries[path + ObjectSuffix] = identity.Object ?? None;
            entries[path + ChangesSuffix] = identity.Changes ?? None;
        }
        return entries;
    }

    /// <summary>Every include path of the given workflows, normalized, that a request must carry an identity for.</summary>
    public static IReadOnlyList<string> PathsNeeded(IEnumerable<Workflow> workflows) =>
        workflows.SelectMany(w => RepoIncludePath.NormalizeAll(w.RepoIncludes)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
