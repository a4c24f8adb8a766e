using System.Security.Cryptography;

namespace Dstack.Runner.Workspace;

/// <summary>
/// The artifact files (dependencies', restored ones) a slot put in its workspace, with their stamps. When the next job
/// of the same commit needs the same content at the same path, the file the job before left untouched is kept rather
/// than deleted and written again: a fan-out of jobs over one model reads it from the store once per slot, not once a
/// job. Untouched means the same stamp (<see cref="FileStamp"/>: a write, chmod, link or replacement changes it), and,
/// while the stamp is recent enough to hide a change made in the same clock tick, the same content.
/// </summary>
public sealed class PlacedArtifacts(string root)
{
    private const long RacyWindowNs = 1_000_000_000;

    private readonly Dictionary<string, Entry> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    private sealed record Entry(string Sha256, int Mode, FileStamp Stamp);

    /// <summary>Folders (relative to the workspace, '/'-separated) that hold a placed file: a reset walks into them rather than deleting them.</summary>
    public bool HasFilesUnder(string relativeFolder) =>
        _files.Keys.Any(path => path.StartsWith(relativeFolder + "/", StringComparison.Ordinal));

    /// <summary>True when the placed file at <paramref name="relative"/> is as it was placed; false (forgotten) otherwise.</summary>
    public bool StillInPlace(string relative)
    {
        if (!_files.TryGetValue(relative, out var entry)) return false;
        var full = Path.Combine(root, relative);
        var same = FileStamp.Read(full) is { } stamp && stamp == entry.Stamp
            && (stamp.ChangedNs < NowNs() - RacyWindowNs || SameContent(full, entry.Sha256));
        if (!same) _files.Remove(relative);
        return same;
    }

    /// <summary>Keeps only the files a reset found in place (see <see cref="StillInPlace"/>).</summary>
    public void Retain(IReadOnlySet<string> kept)
    {
        foreach (var path in _files.Keys.Where(p => !kept.Contains(p)).ToList()) _files.Remove(path);
        _used.Clear();
    }

    /// <summary>The workspace was cleaned by git: nothing placed is left.</summary>
    public void Clear()
    {
        _files.Clear();
        _used.Clear();
    }

    /// <summary>
    /// After the job's placements: a kept file this job did not ask for goes, as a reset with git would have removed it,
    /// with the folders it leaves empty. One that something else wrote over since (the run's untracked files) stays.
    /// </summary>
    public void RemoveUnused()
    {
        foreach (var (relative, entry) in _files.Where(f => !_used.Contains(f.Key)).ToList())
        {
            _files.Remove(relative);
            var full = Path.Combine(root, relative);
            if (FileStamp.Read(full) != entry.Stamp) continue;
            File.Delete(full);
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
    public bool Has(string destination, string sha256, int mode)
    {
        var relative = RelativeOf(destination);
        var has = _files.TryGetValue(relative, out var entry) && entry.Sha256 == sha256 && entry.Mode == mode
            && FileStamp.Read(destination) == entry.Stamp;
        if (has) _used.Add(relative);
        return has;
    }

    /// <summary>Remembers a file just placed at <paramref name="destination"/> (a path in the workspace).</summary>
    public void Record(string destination, string sha256, int mode)
    {
        var relative = RelativeOf(destination);
        if (FileStamp.Read(destination) is { IsRegularFile: true } stamp)
        {
            _files[relative] = new Entry(sha256, mode, stamp);
            _used.Add(relative);
        }
        else
        {
            _files.Remove(relative);
        }
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

    private static long NowNs() => (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
}
