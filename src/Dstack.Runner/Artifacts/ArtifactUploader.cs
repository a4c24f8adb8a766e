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
/// and taken with a rename.
/// </summary>
public static class ArtifactUploader
{
    public static async Task<List<ArtifactFile>> UploadAsync(IReadOnlyList<LocalArtifactFile> files, IBlobTransfer blobs, CancellationToken ct) =>
        [.. (await UploadAsync(files, blobs, null, null, ct)).Files];

    public static async Task<ArtifactUpload> UploadAsync(
        IReadOnlyList<LocalArtifactFile> files, IBlobTransfer blobs, ArtifactHashCache? cache, BlobInbox? inbox, CancellationToken ct)
    {
        var stored = new List<ArtifactFile>(files.Count);
        int hashed = 0, uploaded = 0;
        // A file that a link of this upload points to stays where it is: the link is read through it, maybe after it.
        var linkedTo = inbox is null ? [] : LinkTargets(files);
        foreach (var file in files)
        {
            var lookedAt = DateTime.UtcNow;
            var info = new FileInfo(file.FullPath);
            var (size, writeTicks) = (info.Length, info.LastWriteTimeUtc.Ticks);
            var sha256 = cache?.Find(file.FullPath, size, writeTicks);
            if (sha256 is null)
            {
                hashed++;
                // On the store's machine a plain, singly linked file is moved into the store rather than uploaded (not one
                // that a link of this upload is read through).
                FileStamp? movable = inbox is not null && !linkedTo.Contains(Path.GetFullPath(file.FullPath))
                    && FileStamp.Read(file.FullPath) is { IsRegularFile: true, Links: 1 } stamp ? stamp : null;
                (sha256, size) = await HashAsync(file.FullPath, ct);
                // Content the store has stays where it is: nothing to upload or move, nothing for the store to delete.
                if (!await blobs.ExistsAsync(sha256, ct))
                {
                    uploaded++;
                    // The hash is kept for the move only if nothing wrote the file while it was read (its whole stamp,
                    // change time included, is as before) nor before the move (what a rename leaves of the stamp).
                    var unchanged = movable is not null && FileStamp.Read(file.FullPath) == movable;
                    if (movable is { } before && inbox!.TryMoveIn(file.FullPath) is { } moved)
                        (sha256, size) = await KeepMovedAsync(file, moved, unchanged && SameFile(before, FileStamp.Read(moved)) ? (sha256, size) : null, blobs, ct);
                    else
                        await UploadCheckedAsync(file, file.FullPath, sha256, blobs, ct);
                }
                cache?.Remember(file.FullPath, info.Length, writeTicks, sha256, lookedAt);
            }
            stored.Add(new ArtifactFile { Artifact = file.Artifact, Path = file.Path, Size = size, Sha256 = sha256, Mode = file.Mode });
        }
        return new ArtifactUpload(stored, hashed, uploaded);
    }

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

    /// <summary>
    /// A file of up to 1 MiB is hashed right here (a millisecond at most); a larger one on a thread of its own: seconds of
    /// blocking reads must not hold a pool thread that heartbeats, log shipping and the other slots need.
    /// </summary>
    private static async Task<(string Sha256, long Size)> HashAsync(string path, CancellationToken ct)
    {
        if (new FileInfo(path).Length <= 1 << 20) return FileHash.Compute(path, ct);
        return await Task.Factory.StartNew(() => FileHash.Compute(path, ct), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }
}
