namespace Dstack.Core.Workflows;

/// <summary>
/// Artifact paths, working_dir and repo include paths stay inside the job's working tree: a path that is absolute
/// or climbs out with `..` could read or overwrite anything on the runner.
/// </summary>
public static class RelativePathRule
{
    /// <summary>Why the path is refused, or null when it is fine.</summary>
    public static string? Problem(string path)
    {
        if (path.Length == 0) return "is empty";
        if (path.StartsWith('/') || path.StartsWith('\\')) return "is absolute";
        if (path.StartsWith('~')) return "starts with '~' (the home folder), which is outside the repository";
        if (path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0])) return "is absolute";
        if (path.Split('/', '\\').Any(segment => segment == "..")) return "contains '..'";
        return null;
    }
}
