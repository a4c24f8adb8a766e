using System.Security.Cryptography;
using System.Text;

namespace Dstack.Runner.Workspace;

/// <summary>
/// What a slot's workspace held right after `git checkout` of a commit: every tracked path with its
/// <see cref="FileStamp"/>, and .git/HEAD and .git/index likewise. The next job of the same commit resets the
/// workspace from it without running git: everything that is not a tracked path goes (what `git clean -ffdx` does),
/// then each tracked path must still carry its stamp; if one does not, the caller falls back to git. Creating files
/// is the slow part of a short job on these disks, and each git process creates lock files: a fan-out of short jobs
/// on one commit runs no git at all.
/// A change made within the same clock tick as a stamp could leave the stamp as it was (git calls this "racily
/// clean"): a path whose change time is that recent when stamped also has its content hashed, and is checked by
/// content, until a later check stamps it again when it is old enough.
/// </summary>
public sealed class CheckoutSnapshot
{
    /// <summary>Above this, hashing the racy files costs more than letting git check them: no snapshot.</summary>
    private const long MaxRacyBytes = 64L << 20;
    private static readonly string[] GitFiles = [".git/HEAD", ".git/index"];

    private readonly Dictionary<string, Entry> _files;
    private readonly HashSet<string> _folders;
    private readonly HashSet<string> _submodules;

    private CheckoutSnapshot(string commit, Dictionary<string, Entry> files, HashSet<string> folders, HashSet<string> submodules)
    {
        Commit = commit;
        _files = files;
        _folders = folders;
        _submodules = submodules;
    }

    public string Commit { get; }

    private sealed record Entry(FileStamp Stamp, byte[]? Hash);

    /// <summary>Stamps what `git checkout` left in <paramref name="root"/>; null when git cannot list it or the racy files are too big to hash.</summary>
    public static async Task<CheckoutSnapshot?> TakeAsync(string root, string commit, CancellationToken ct)
    {
        var listed = await GitProcess.RunAsync(root, [.. SlotWorkspace.SafeConfig, "ls-files", "--stage", "-z"], null, ct);
        if (!listed.Succeeded) return null;
        var files = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var folders = new HashSet<string>(StringComparer.Ordinal);
        var submodules = new HashSet<string>(StringComparer.Ordinal);
        var paths = new List<string>(GitFiles);
        // Each record: "MODE OBJECT STAGE\tPATH\0"; a submodule (gitlink) is a folder git does not clean or check out.
        foreach (var record in listed.Stdout.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = record.IndexOf('\t');
            if (tab < 0) return null;
            var path = record[(tab + 1)..];
            if (record.StartsWith("160000 ", StringComparison.Ordinal)) submodules.Add(path);
            else paths.Add(path);
            for (var slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
            {
                if (!folders.Add(path[..slash])) break;
            }
        }
        var now = FileStamp.NowNs();
        long racyBytes = 0;
        foreach (var path in paths)
        {
            if (FileStamp.Read(Path.Combine(root, path)) is not { } stamp) return null;
            byte[]? hash = null;
            if (stamp.IsRacyAt(now))
            {
                racyBytes += (long)stamp.Size;
                if (racyBytes > MaxRacyBytes) return null;
                try
                {
                    hash = Hash(Path.Combine(root, path), stamp);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return null;
                }
            }
            files[path] = new Entry(stamp, hash);
        }
        return new CheckoutSnapshot(commit, files, folders, submodules);
    }

    /// <summary>
    /// Removes everything in <paramref name="root"/> that is not a tracked path (never following a link) or an artifact
    /// file still as it was placed (<paramref name="placed"/>, which then forgets the others), then checks that every
    /// tracked path is as the checkout left it. False when one is not, or something could not be removed: the workspace
    /// then needs git (which fixes whatever this left half done).
    /// </summary>
    public bool TryReset(string root, PlacedArtifacts placed, SpareFiles spares)
    {
        try
        {
            var kept = new HashSet<string>(StringComparer.Ordinal);
            Clean(root, root, "", placed, spares, kept);
            placed.Retain(kept);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        var now = FileStamp.NowNs();
        var settled = new List<string>();
        try
        {
            foreach (var (path, entry) in _files)
            {
                var full = Path.Combine(root, path);
                if (FileStamp.Read(full) is not { } stamp || stamp != entry.Stamp) return false;
                if (entry.Hash is null) continue;
                if (!Hash(full, stamp).AsSpan().SequenceEqual(entry.Hash)) return false;
                if (!stamp.IsRacyAt(now)) settled.Add(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        // Checked by content just now, and its change time is old enough: from here on its stamp alone tells.
        foreach (var path in settled) _files[path] = _files[path] with { Hash = null };
        return true;
    }

    private void Clean(string root, string folder, string relative, PlacedArtifacts placed, SpareFiles spares, HashSet<string> kept)
    {
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            // A name that is not UTF-8 reaches .NET with U+FFFD in place of its bytes: it no longer names the file, which
            // could not be deleted by it. git deals in bytes: let it clean.
            if (entry.Name.Contains('\uFFFD', StringComparison.Ordinal)) throw new IOException($"'{entry.FullName}' has a name that is not UTF-8");
            var path = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
            if (path == ".git") continue;
            var isFolder = entry is DirectoryInfo && (entry.Attributes & FileAttributes.ReparsePoint) == 0;
            if (_submodules.Contains(path))
            {
                // A submodule's folder is git's to keep; anything else standing there is git's to put right.
                if (isFolder) continue;
                throw new IOException($"'{path}' is no longer the folder of a submodule");
            }
            if (isFolder && _folders.Contains(path)) Clean(root, entry.FullName, path, placed, spares, kept);
            else if (isFolder && placed.HasFilesUnder(path))
            {
                // Not tracked, but it holds an artifact placed for the last job: kept if that file is, removed once empty.
                Clean(root, entry.FullName, path, placed, spares, kept);
                if (!Directory.EnumerateFileSystemEntries(entry.FullName).Any()) Directory.Delete(entry.FullName);
            }
            else if (isFolder) spares.RemoveFolder(entry.FullName);  // links inside are removed, not followed
            else if (_files.ContainsKey(path)) continue;
            else if (placed.StillInPlace(path)) kept.Add(path);
            else spares.Remove(entry.FullName);                       // a link goes, its target stays
        }
    }

    private static byte[] Hash(string path, FileStamp stamp)
    {
        if (stamp.IsSymbolicLink) return SHA256.HashData(Encoding.UTF8.GetBytes(new FileInfo(path).LinkTarget ?? ""));
        using var file = File.OpenRead(path);
        return SHA256.HashData(file);
    }

}
