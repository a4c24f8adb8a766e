using Dstack.Runner.Files;

namespace Dstack.Runner.Blobs;

/// <summary>Writes a blob to a file: streamed, hash-verified, a real copy (never a link), put in place by rename.</summary>
public static class BlobFile
{
    public static Task DownloadAsync(IBlobTransfer blobs, string sha256, string destination, UnixFileMode? mode, CancellationToken ct) =>
        blobs.ReadAsync(sha256, async (stream, token) =>
        {
            // A fresh name, created exclusively: a link planted at a predictable name is never written through.
            var temp = $"{destination}.{Guid.NewGuid():N}.dstack-part";
            try
            {
                var hashing = new HashingStream(stream);
                await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    await hashing.CopyToAsync(file, 1 << 16, token);
                }
                var actual = await hashing.FinishAsync(token);
                if (!string.Equals(actual, sha256, StringComparison.OrdinalIgnoreCase))
                    throw new InvalidDataException($"blob {sha256} arrived with SHA-256 {actual}");
                if (mode is not null) File.SetUnixFileMode(temp, mode.Value);
                File.Move(temp, destination, overwrite: true);
                return true;
            }
            finally
            {
                File.Delete(temp);
            }
        }, ct);
}
