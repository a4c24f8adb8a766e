using System.Security.Cryptography;

namespace Dstack.Runner.Workspace;

/// <summary>
/// The artifact files (dependencies', restored ones) a slot put in its workspace, with their stamps. When the next job
/// of the same commit needs the same content at the same path, the file the job before left untouched is kept rather
/// than deleted and written again: a fan-out of jobs over one model reads it from the store once per slot, not once a
/// job. Untouched means the same stamp (<see cref="FileStamp"/>: a write, chmod, link or replacement changes it), and,
/// for a file stamped within a clock tick of a change it could hide (every file just placed), the same content, until
/// a check finds its stamp old enough to tell alone.
/// </summary>
public sealed class PlacedArtifacts(string root)
{
    private readonly Dictionary<string, Entry> _files = new(StringComparer.Ordinal);

    private sealed record Entry(string Sha256, int Mode, FileStamp Stamp, bool Racy);

    /// <summary>The artifact files a job needs: path relative to the workspace ('/'-separated), with the blob and the mode.</summary>
    public sealed record Needed(string Path, string Sha256, int Mode);

    /// <summary>True when a placed file is under this folder (relative to the workspace, '/'-separated): a reset walks into it.</summary>
    public bool HasFilesUnder(string relativeFolder) =>
        _files.Keys.Any(path => path.StartsWith(relativeFolder + "/", StringComparison.Ordinal));

    /// <summary>True when the placed file at <paramref name="relative"/> is as it was placed; false (forgotten) otherwise.</summary>
    public bool StillInPlace(string relative)
    {
        if (!_files.TryGetValue(relative, out var entry)) return false;
        var full = Path.Combine(root, relative);
        var same = FileStamp.Read(full) is { } stamp && stamp == entry.Stamp && (!entry.Racy || SameContent(full, entry.Sha256));
        if (!same) _files.Remove(relative);
        else if (entry.Racy && !entry.Stamp.IsRacyAt(FileStamp.NowNs())) _files[relative] = entry with { Racy = false };
        return same;
    }

    /// <summary>Keeps only the files a reset found in place (see <see cref="StillInPlace"/>).</summary>
    public void Retain(IReadOnlySet<string> kept)
    {
        foreach (var path in _files.Keys.Where(p => !kept.Contains(p)).ToList()) _files.Remove(path);
    }

    /// <summary>The workspace was cleaned by git: nothing placed is left.</summary>
    public void Clear() => _files.Clear();

    /// <summary>
    /// Right after the reset, before anything else is written: a kept file the job does not need, with this content and
    /// mode at this path, goes, with the folders it leaves empty, as a reset with git would have removed it.
    /// </summary>
    public void KeepOnly(IReadOnlyCollection<Needed> needed, SpareFiles spares)
    {
        // In placing order: a later file at the same path (a resumed job's own over its dependency's) is the one that stays.
        var wanted = new Dictionary<string, Needed>(StringComparer.Ordinal);
        foreach (var need in needed) wanted[need.Path] = need;
        foreach (var (relative, entry) in _files.ToList())
        {
            if (wanted.TryGetValue(relative, out var need) && need.Sha256 == entry.Sha256 && need.Mode == entry.Mode) continue;
            _files.Remove(relative);
            var full = Path.Combine(root, relative);
            if (FileStamp.Read(full) != entry.Stamp) continue;
            spares.Remove(full);
            for (var folder = Path.GetDirectoryName(full); folder is not null && folder.Length > root.Length; folder = Path.GetDirectoryName(folder))
            {
                if (Directory.EnumerateFileSystemEntries(folder).Any()) break;
                Directory.Delete(folder);
            }
        }
    }

    /// <summary>
    /// True when the blob is already at <paramref name="destination"/> with this mode, untouched since (checked again
    /// now: the run's untracked files may have been written over it since the reset).
    /// </summary>
    public bool Has(string destination, string sha256, int mode) =>
        _files.TryGetValue(RelativeOf(destination), out var entry) && entry.Sha256 == sha256 && entry.Mode == mode
        && FileStamp.Read(destination) == entry.Stamp;

    /// <summary>Remembers a file just placed at <paramref name="destination"/> (a path in the workspace).</summary>
    public void Record(string destination, string sha256, int mode)
    {
        var relative = RelativeOf(destination);
        // Just written: a change in the same clock tick would not show in its stamp, so its content is checked until then.
        if (FileStamp.Read(destination) is { IsRegularFile: true } stamp) _files[relative] = new Entry(sha256, mode, stamp, Racy: true);
        else _files.Remove(relative);
    }

    private string RelativeOf(string path) => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');

    private static bool SameContent(string path, string sha256)
    {
        try
        {
            using var file = File.OpenRead(path);
            return Convert.ToHexStringLower(SHA256.HashData(file)) == sha256;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
