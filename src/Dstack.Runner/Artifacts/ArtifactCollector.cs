using Dstack.Runner.Files;

namespace Dstack.Runner.Artifacts;

/// <summary>
/// Finds the files of a job's declared artifacts (relative to its working dir): a file, or a folder walked
/// recursively. Paths must stay in the workspace: an absolute or `..` artifact is refused, a symbolic link
/// whose target is outside the workspace is skipped, a link to a folder is not followed (no cycles).
/// </summary>
public static class ArtifactCollector
{
    public static CollectedArtifacts Collect(string workspaceRoot, string workDir, IReadOnlyList<string> artifacts)
    {
        var files = new List<LocalArtifactFile>();
        var missing = new List<string>();
        var refused = new List<string>();
        var skipped = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var artifact in artifacts)
        {
            var relative = RelativePath.Normalize(artifact, out var error);
            if (relative is null)
            {
                refused.Add($"artifact '{artifact}' {error}");
                continue;
            }
            var full = relative == "." ? workDir : Path.Combine(workDir, relative);
            var info = new FileInfo(full);
            if (info.LinkTarget is null && !info.Exists && !Directory.Exists(full))
            {
                missing.Add(artifact);
                continue;
            }
            if (RelativePath.HasLinkOnTheWay(workDir, relative) || !IsInsideAfterLinks(full, workspaceRoot))
            {
                refused.Add($"artifact '{artifact}' points outside the workspace");
                continue;
            }
            if (Directory.Exists(full) && info.LinkTarget is null)
                Walk(artifact, new DirectoryInfo(full), relative == "." ? "" : relative + "/", workspaceRoot, files, skipped, seen);
            else
                AddFile(artifact, info, relative, workspaceRoot, files, skipped, seen);
        }
        return new CollectedArtifacts { Files = files, Missing = missing, Refused = refused, Skipped = skipped };
    }

    private static void Walk(string artifact, DirectoryInfo folder, string prefix, string root,
        List<LocalArtifactFile> files, List<string> skipped, HashSet<string> seen)
    {
        foreach (var entry in folder.EnumerateFileSystemInfos())
        {
            var relative = prefix + entry.Name;
            if (entry is DirectoryInfo directory && directory.LinkTarget is null)
                Walk(artifact, directory, relative + "/", root, files, skipped, seen);
            else if (entry is DirectoryInfo)
                skipped.Add($"{relative} (a link to a folder)");
            else
                AddFile(artifact, (FileInfo)entry, relative, root, files, skipped, seen);
        }
    }

    private static void AddFile(string artifact, FileInfo file, string relative, string root,
        List<LocalArtifactFile> files, List<string> skipped, HashSet<string> seen)
    {
        if (file.LinkTarget is not null)
        {
            var target = file.ResolveLinkTarget(returnFinalTarget: true);
            if (target is null || !target.Exists || !RelativePath.IsInside(target.FullName, root))
            {
                skipped.Add($"{relative} (a link to outside the workspace)");
                return;
            }
            if (target is DirectoryInfo)
            {
                skipped.Add($"{relative} (a link to a folder)");
                return;
            }
        }
        else if ((file.Attributes & (FileAttributes.Device | FileAttributes.System)) != 0 || !file.Exists)
        {
            skipped.Add($"{relative} (not a regular file)");
            return;
        }
        if (!seen.Add(relative)) return; // declared twice (an artifact inside another): stored once
        var mode = (int)(File.GetUnixFileMode(file.FullName) & (UnixFileMode)0x1FF);
        files.Add(new LocalArtifactFile(artifact, relative, file.FullName, mode));
    }

    private static bool IsInsideAfterLinks(string path, string root)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is null) return RelativePath.IsInside(path, root);
        var target = info.ResolveLinkTarget(returnFinalTarget: true);
        return target is not null && RelativePath.IsInside(target.FullName, root);
    }
}
