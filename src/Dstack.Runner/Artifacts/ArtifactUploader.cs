using Dstack.Contracts.Artifacts;
using Dstack.Contracts.Blobs;
using Dstack.Runner.Blobs;
using Dstack.Runner.Files;

namespace Dstack.Runner.Artifacts;

/// <summary>
/// Stores artifact files as content-addressed blobs: each file is hashed while read (SHA-256, streamed,
/// never whole in memory), and uploaded only when the store does not have that content yet, so an
/// unchanged file is stored once. With a <see cref="ArtifactHashCache"/>, a file unchanged since the
/// job last stored it is not even read. With a <see cref="BlobInbox"/> (the final upload on the store's machine), a
/// file is moved into the store's inbox and hashed there, read once, and the store takes it with a rename.
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
        foreach (var file in files)
        {
            var lookedAt = DateTime.UtcNow;
            var info = new FileInfo(file.FullPath);
            var (size, writeTicks) = (info.Length, info.LastWriteTimeUtc.Ticks);
            var sha256 = cache?.Find(file.FullPath, size, writeTicks);
            if (sha256 is null && inbox?.TryMoveIn(file.FullPath) is { } moved)
            {
                hashed++;
                uploaded++;
                (sha256, size) = await KeepMovedAsync(file, moved, blobs, ct);
            }
            else if (sha256 is null)
            {
                hashed++;
                (sha256, size) = await HashAsync(file.FullPath, ct);
                if (!await blobs.ExistsAsync(sha256, ct))
                {
                    var blob = await blobs.UploadFileAsync(file.FullPath, ct);
                    if (!string.Equals(blob.Sha256, sha256, StringComparison.OrdinalIgnoreCase))
                        throw new InvalidDataException($"artifact file '{file.Path}' changed while it was uploaded (SHA-256 {sha256}, stored {blob.Sha256})");
                    uploaded++;
                }
                cache?.Remember(file.FullPath, info.Length, writeTicks, sha256, lookedAt);
            }
            stored.Add(new ArtifactFile { Artifact = file.Artifact, Path = file.Path, Size = size, Sha256 = sha256, Mode = file.Mode });
        }
        return new ArtifactUpload(stored, hashed, uploaded);
    }

    /// <summary>A file moved into the inbox: hashed there, then taken by the store, or uploaded when the store has no such file.</summary>
    private static async Task<(string Sha256, long Size)> KeepMovedAsync(LocalArtifactFile file, string moved, IBlobTransfer blobs, CancellationToken ct)
    {
        try
        {
            var (sha256, size) = await HashAsync(moved, ct);
            if (await blobs.AdoptAsync(new BlobAdoptRequest(Path.GetFileName(moved), sha256, size), ct) is null)
            {
                var blob = await blobs.UploadFileAsync(moved, ct);
                if (!string.Equals(blob.Sha256, sha256, StringComparison.OrdinalIgnoreCase))
                    throw new InvalidDataException($"artifact file '{file.Path}' changed while it was uploaded (SHA-256 {sha256}, stored {blob.Sha256})");
            }
            return (sha256, size);
        }
        finally
        {
            File.Delete(moved); // already gone once the store took it
        }
    }

    private static async Task<(string Sha256, long Size)> HashAsync(string path, CancellationToken ct)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan);
        using var hashing = new HashingStream(file);
        var sha256 = await hashing.FinishAsync(ct);
        return (sha256, hashing.BytesRead);
    }
}
