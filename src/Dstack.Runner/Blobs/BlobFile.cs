using Dstack.Runner.Files;
using Dstack.Runner.Workspace;

namespace Dstack.Runner.Blobs;

/// <summary>Writes a blob to a file: streamed, hash-verified, a real copy (never a link), put in place by rename.</summary>
public static class BlobFile
{
    /// <param name="spares">A slot's kept files: one of them becomes the file when there is one (with a mode only).</param>
    public static Task DownloadAsync(IBlobTransfer blobs, string sha256, string destination, UnixFileMode? mode, CancellationToken ct,
        SpareFiles? spares = null) =>
        blobs.ReadAsync(sha256, async (stream, token) =>
        {
            // A fresh name, created exclusively (or a kept file moved there): a link planted at a predictable name is never written through.
            var temp = $"{destination}.{Guid.NewGuid():N}.dstack-part";
            try
            {
                var hashing = new HashingStream(stream);
                var reused = mode is not null && spares?.TryTakeAs(temp) == true;
                await using (var file = Open(temp, ref reused))
                {
                    await hashing.CopyToAsync(file, 1 << 16, token);
                    // A kept file's old bytes past the new ones go. Never cut to zero and written again: ext4 would write it out on close.
                    if (reused) file.SetLength(file.Position);
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

    private static FileStream Open(string temp, ref bool reused)
    {
        if (reused)
        {
            try
            {
                return new FileStream(temp, FileMode.Open, FileAccess.Write, FileShare.None, 1 << 16);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A kept file that cannot be written after all (another owner): a new one instead.
                File.Delete(temp);
                reused = false;
            }
        }
        return new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
    }
}
