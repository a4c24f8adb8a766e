using Dstack.Contracts.Artifacts;
using Dstack.Contracts.Blobs;
using Dstack.Runner.Blobs;
using Dstack.Runner.Files;
using Dstack.Runner.Workspace;

namespace Dstack.Runner.Artifacts;

/// <summary>
/// Stores artifact files as content-addressed blobs: each file is hashed while read (SHA-256, streamed,
/// never whole in memory), and uploaded only when the store does not have that content yet, so an
/// unchanged file is stored once. With a <see cref="ArtifactHashCache"/>, a file unchanged since the
/// job last stored it is not even read. With a <see cref="BlobInbox"/> (the final upload on the store's machine), a
/// file is hashed where it is, read once, and when the store lacks that content it is moved into the store's inbox
/// and taken with a rename. The final upload hashes its large files side by side (<see cref="SideBySideHashes"/>), then
/// stores them in order.
/// </summary>
public static class ArtifactUploader
{
    public static async Task<List<ArtifactFile>> UploadAsync(IReadOnlyList<LocalArtifactFile> files, IBlobTransfer blobs, CancellationToken ct) =>
        [.. (await UploadAsync(files, blobs, null, null, ct)).Files];

    /// <param name="sideBySide">the final upload: the job's processes are gone, and its large files are hashed side by
    /// side (<see cref="SideBySideHashes"/>); a checkpoint hashes them one at a time beside the running job</param>
    public static async Task<ArtifactUpload> UploadAsync(
        IReadOnlyList<LocalArtifactFile> files, IBlobTransfer blobs, ArtifactHashCache? cache, BlobInbox? inbox, CancellationToken ct,
        bool sideBySide = false)
    {
        var stored = new List<ArtifactFile>(files.Count);
        int hashed = 0, uploaded = 0;
        // A file that a link of this upload points to stays where it is: the link is read through it, maybe after it.
        var linkedTo = inbox is null ? [] : LinkTargets(files);
        // First what each file is now: known to the cache, or to be hashed.
        var looks = new List<FileLook>(files.Count);
        foreach (var file in files)
        {
            var lookedAt = DateTime.UtcNow;
            var info = new FileInfo(file.FullPath);
            var (size, writeTicks) = (info.Length, info.LastWriteTimeUtc.Ticks);
            var cached = cache?.Find(file.FullPath, size, writeTicks);
            // On the store's machine a plain, singly linked file is moved into the store rather than uploaded (not one
            // that a link of this upload is read through).
            FileStamp? movable = cached is null && inbox is not null && !linkedTo.Contains(Path.GetFullPath(file.FullPath))
                && FileStamp.Read(file.FullPath) is { IsRegularFile: true, Links: 1 } stamp ? stamp : null;
            looks.Add(new FileLook(file, lookedAt, size, writeTicks, cached, movable));
        }
        await using var ahead = new HashesAhead(
            [.. looks.Select(l => sideBySide && l.Cached is null && l.Size > SmallFileBytes ? l.File.FullPath : null)], ct);
        for (var i = 0; i < looks.Count; i++)
        {
            var look = looks[i];
            var (file, size, sha256) = (look.File, look.Size, look.Cached);
            if (sha256 is null)
            {
                hashed++;
                (sha256, size) = ahead.Get(i) is { } hashing ? await hashing : await HashAsync(file.FullPath, ct);
                // Content the store has stays where it is: nothing to upload or move, nothing for the store to delete.
                if (!await blobs.ExistsAsync(sha256, ct))
                {
                    uploaded++;
                    // The hash is kept for the move only if nothing wrote the file since it was first looked at (its whole
                    // stamp, change time included, is as before) nor before the move (what a rename leaves of the stamp);
                    // and it is moved only if it is still one plain file with one name (a link added since would let the
                    // other name write into the stored blob).
                    var now = FileStamp.Read(file.FullPath);
                    var unchanged = look.Movable is not null && now == look.Movable;
                    if (look.Movable is { } before && now is { IsRegularFile: true, Links: 1 } && inbox!.TryMoveIn(file.FullPath) is { } moved)
                        (sha256, size) = await KeepMovedAsync(file, moved, unchanged && SameFile(before, FileStamp.Read(moved)) ? (sha256, size) : null, blobs, ct);
                    else
                        await UploadCheckedAsync(file, file.FullPath, sha256, blobs, ct);
                }
                cache?.Remember(file.FullPath, look.Size, look.WriteTicks, sha256, look.LookedAt);
            }
            stored.Add(new ArtifactFile { Artifact = file.Artifact, Path = file.Path, Size = size, Sha256 = sha256, Mode = file.Mode });
        }
        return new ArtifactUpload(stored, hashed, uploaded);
    }

    /// <summary>A file as the upload first found it: its size and time for the cache, and what it may become.</summary>
    private sealed record FileLook(LocalArtifactFile File, DateTime LookedAt, long Size, long WriteTicks, string? Cached, FileStamp? Movable);

    /// <summary>A file this small is hashed on the caller's thread: a millisecond at most.</summary>
    private const long SmallFileBytes = 1 << 20;

    private static HashSet<string> LinkTargets(IReadOnlyList<LocalArtifactFile> files)
    {
        var targets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (new FileInfo(file.FullPath).LinkTarget is null) continue;
            if (File.ResolveLinkTarget(file.FullPath, returnFinalTarget: true) is { } target) targets.Add(target.FullName);
        }
        return targets;
    }

    /// <summary>
    /// A file moved into the inbox (hashed before the move, or here when it changed since), then taken by the store, or
    /// uploaded when the store has no such file.
    /// If that fails, the file goes back where the job left it (when nothing stands there now), so it is not lost.
    /// </summary>
    private static async Task<(string Sha256, long Size)> KeepMovedAsync(
        LocalArtifactFile file, string moved, (string Sha256, long Size)? hashed, IBlobTransfer blobs, CancellationToken ct)
    {
        var kept = false;
        try
        {
            var (sha256, size) = hashed ?? await HashAsync(moved, ct);
            if (await blobs.AdoptAsync(new BlobAdoptRequest(Path.GetFileName(moved), sha256, size), ct) is null)
            {
                await UploadCheckedAsync(file, moved, sha256, blobs, ct);
            }
            kept = true;
            return (sha256, size);
        }
        finally
        {
            if (!kept && File.Exists(moved) && !Path.Exists(file.FullPath)) File.Move(moved, file.FullPath);
            File.Delete(moved); // already gone once the store took it
        }
    }

    /// <summary>The same file as when it was hashed (a rename changes neither inode, size nor modification time).</summary>
    private static bool SameFile(FileStamp before, FileStamp? after) =>
        after is { } now && (now.Inode, now.Size, now.ModifiedNs, now.Links) == (before.Inode, before.Size, before.ModifiedNs, before.Links);

    /// <summary>Uploads the file and checks that the store got the content that was hashed.</summary>
    private static async Task UploadCheckedAsync(LocalArtifactFile file, string path, string sha256, IBlobTransfer blobs, CancellationToken ct)
    {
        var blob = await blobs.UploadFileAsync(path, ct);
        if (!string.Equals(blob.Sha256, sha256, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"artifact file '{file.Path}' changed while it was uploaded (SHA-256 {sha256}, stored {blob.Sha256})");
    }

    /// <summary>A file of up to 1 MiB is hashed right here (a millisecond at most); a larger one on a thread of its own.</summary>
    private static async Task<(string Sha256, long Size)> HashAsync(string path, CancellationToken ct) =>
        new FileInfo(path).Length <= SmallFileBytes ? FileHash.Compute(path, ct) : await FileHash.ComputeOnItsOwnThreadAsync(path, ct);
}
