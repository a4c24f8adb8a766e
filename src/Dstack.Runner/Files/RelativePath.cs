namespace Dstack.Runner.Files;

/// <summary>
/// Paths that come from outside (workflow files, archives, manifests) and must stay inside a folder:
/// relative, no `..` segment. Normalised to '/' separators without `.` segments.
/// </summary>
public static class RelativePath
{
    /// <summary>The normalised path ("." for the folder itself), or null with the reason in <paramref name="error"/>.</summary>
    public static string? Normalize(string path, out string error)
    {
        error = "";
        if (string.IsNullOrWhiteSpace(path))
        {
            error = "is empty";
            return null;
        }
        if (path.StartsWith('/') || path.StartsWith('\\') || Path.IsPathRooted(path))
        {
            error = "is an absolute path";
            return null;
        }
        var segments = new List<string>();
        foreach (var segment in path.Split('/', '\\'))
        {
            if (segment is "" or ".") continue;
            if (segment == "..")
            {
                error = "goes outside its folder with '..'";
                return null;
            }
            segments.Add(segment);
        }
        return segments.Count == 0 ? "." : string.Join('/', segments);
    }

    /// <summary>True when <paramref name="path"/> (absolute, normalised) is <paramref name="root"/> or inside it.</summary>
    public static bool IsInside(string path, string root)
    {
        var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var fullPath = Path.GetFullPath(path);
        return fullPath == fullRoot || fullPath.StartsWith(fullRoot + "/", StringComparison.Ordinal);
    }

    /// <summary>
    /// True when a folder on the way from <paramref name="root"/> to root/<paramref name="relative"/> (the last
    /// segment excluded) is a symbolic link: writing there could land outside the root.
    /// </summary>
    public static bool HasLinkOnTheWay(string root, string relative)
    {
        var current = root;
        var segments = relative.Split('/');
        for (var i = 0; i < segments.Length - 1; i++)
        {
            current = Path.Combine(current, segments[i]);
            var info = new DirectoryInfo(current);
            if (!info.Exists && !File.Exists(current)) return false; // nothing further exists yet: it will be created as real folders
            if (info.LinkTarget is not null) return true;
        }
        return false;
    }
}
