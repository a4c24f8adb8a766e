using Dstack.Contracts.Artifacts;
using Dstack.Runner.Blobs;
using Dstack.Runner.Files;

namespace Dstack.Runner.Artifacts;

/// <summary>
/// Stores artifact files as content-addressed blobs: each file is hashed while read (SHA-256, streamed,
/// never whole in memory), and uploaded only when the store does not have that content yet, so an
/// unchanged file is stored once.
/// </summary>
public static class ArtifactUploader
{
    public static async Task<List<ArtifactFile>> UploadAsync(IReadOnlyList<LocalArtifactFile> files, IBlobTransfer blobs, CancellationToken ct)
    {
        var uploaded = new List<ArtifactFile>(files.Count);
        foreach (var file in files)
        {
            var (sha256, size) = await HashAsync(file.FullPath, ct);
            if (!await blobs.ExistsAsync(sha256, ct))
            {
                var stored = await blobs.UploadFileAsync(file.FullPath, ct);
                if (!string.Equals(stored.Sha256, sha256, StringComparison.OrdinalIgnoreCase))
                    throw new InvalidDataException($"artifact file '{file.Path}' changed while it was uploaded (SHA-256 {sha256}, stored {stored.Sha256})");
            }
            uploaded.Add(new ArtifactFile { Artifact = file.Artifact, Path = file.Path, Size = size, Sha256 = sha256, Mode = file.Mode });
        }
        return uploaded;
    }

    private static async Task<(string Sha256, long Size)> HashAsync(string path, CancellationToken ct)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan);
        using var hashing = new HashingStream(file);
        var sha256 = await hashing.FinishAsync(ct);
        return (sha256, hashing.BytesRead);
    }
}
