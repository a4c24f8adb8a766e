namespace Dstack.Core.Workflows;

/// <summary>
/// One spelling per path of `depends-on: {repo: {include: [...]}}`, so the CLI (which computes each path's code
/// identity) and the server (which looks it up) agree: `./src/`, `src` and `src//` are all `src`; `.` is the root.
/// </summary>
public static class RepoIncludePath
{
    public const string Root = ".";

    public static string Normalize(string path)
    {
        var segments = path.Trim().Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Where(segment => segment != ".");
        var joined = string.Join('/', segments);
        return joined.Length == 0 ? Root : joined;
    }

    /// <summary>The distinct normalized paths, sorted; empty when the list names the whole repository (or nothing).</summary>
    public static IReadOnlyList<string> NormalizeAll(IEnumerable<string> paths)
    {
        var normalized = paths.Select(Normalize).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return normalized.Contains(Root) ? [] : normalized;
    }
}
