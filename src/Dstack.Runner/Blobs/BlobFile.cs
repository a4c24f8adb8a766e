using System.Security.Cryptography;
using Dstack.Contracts.Blobs;
using Dstack.Runner.Workspace;

namespace Dstack.Runner.Blobs;

/// <summary>Writes a blob to a file: streamed, hash-verified, a real copy (never a link), put in place by rename.</summary>
public static class BlobFile
{
    /// <summary>
    /// A blob this small, read from the store's own file, is copied with plain blocking calls (one read, one hash, one
    /// write): streamed asynchronously, every block hopped through the thread pool, and placing the hundreds of small
    /// artifacts of a fan-in took 0.2 ms each.
    /// </summary>
    private const int SmallBlobBytes = 1 << 20;

    /// <param name="spares">A slot's kept files: one of them becomes the file when there is one (with a mode only).</param>
    public static Task DownloadAsync(IBlobTransfer blobs, string sha256, string destination, UnixFileMode? mode, CancellationToken ct,
        SpareFiles? spares = null) =>
        blobs.ReadAsync(sha256, async (stream, token) =>
        {
            // A fresh name, created exclusively (or a kept file moved there): a link planted at a predictable name is never written through.
            var temp = $"{destination}.{Guid.NewGuid():N}.dstack-part";
            try
            {
                var reused = mode is not null && spares?.TryTakeAs(temp) == true;
                var actual = stream is FileStream { CanSeek: true, Length: <= SmallBlobBytes } local
                    ? WriteSmall(ReadWhole(local), temp, reused)
                    : await WriteStreamedAsync(stream, temp, reused, token);
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

    /// <returns>the SHA-256 of what was written</returns>
    private static string WriteSmall(byte[] content, string temp, bool reused)
    {
        using (var file = Open(temp, ref reused))
        {
            file.Write(content);
            // A kept file's old bytes past the new ones go. Never cut to zero and written again: ext4 would write it out on close.
            if (reused) file.SetLength(file.Position);
        }
        return Convert.ToHexStringLower(SHA256.HashData(content));
    }

    private static async Task<string> WriteStreamedAsync(Stream stream, string temp, bool reused, CancellationToken ct)
    {
        await using var file = Open(temp, ref reused);
        var (sha256, _) = await HashedCopy.CopyAsync(stream, file, null, ct);
        if (reused) file.SetLength(file.Position);
        return sha256;
    }

    /// <summary>
    /// The whole file from its start (the store's file, opened for this read), as it is now; a file shorter than it said
    /// comes out short, and the hash check refuses it.
    /// </summary>
    private static byte[] ReadWhole(FileStream file)
    {
        var content = new byte[file.Length];
        var read = 0;
        while (read < content.Length)
        {
            var n = RandomAccess.Read(file.SafeFileHandle, content.AsSpan(read), read);
            if (n == 0) return content[..read];
            read += n;
        }
        return content;
    }

    private static FileStream Open(string temp, ref bool reused)
    {
        if (reused)
        {
            try
            {
                return new FileStream(temp, FileMode.Open, FileAccess.Write, FileShare.None, bufferSize: 0);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A kept file that cannot be written after all (another owner): a new one instead.
                File.Delete(temp);
                reused = false;
            }
        }
        return new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
    }
}
