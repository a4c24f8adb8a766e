using System.Buffers;
using System.Security.Cryptography;

namespace Dstack.Contracts.Blobs;

/// <summary>
/// Copies a blob's bytes into a file while hashing them (SHA-256), for whoever puts a blob on disk: the CLI's downloads
/// and the runner's placement of artifacts. In 1 MiB blocks, two of them: one is written while the next is read and
/// hashed, since the hash and the copy into the page cache each take about half of a local copy's time. The file is
/// written with plain blocking calls (an asynchronous write to a local file hops through the thread pool for each block
/// on Linux), and so is a source that is a file; any other source (a server's answer) is awaited.
/// </summary>
public static class HashedCopy
{
    private const int BlockSize = 1 << 20;

    /// <param name="progress">told the bytes read and hashed so far after each block (its write may still be under way)</param>
    /// <param name="maxLength">the copy ends once more than this was read: the blob is not what was expected, and a source
    /// that never ends (a store file replaced by a device) is not copied to the end of the disk</param>
    /// <returns>the SHA-256 of what was copied (lower-case hex) and its length</returns>
    public static async Task<(string Sha256, long Length)> CopyAsync(Stream source, FileStream target, Action<long>? progress, CancellationToken ct,
        long maxLength = long.MaxValue)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[][] blocks = [ArrayPool<byte>.Shared.Rent(BlockSize), ArrayPool<byte>.Shared.Rent(BlockSize)];
        var writing = Task.CompletedTask;
        long copied = 0;
        try
        {
            var current = 0;
            int read;
            while (copied <= maxLength && (read = source is FileStream file ? file.Read(blocks[current], 0, BlockSize) : await source.ReadAsync(blocks[current].AsMemory(0, BlockSize), ct)) > 0)
            {
                ct.ThrowIfCancellationRequested();
                var (block, length) = (blocks[current], read);
                hash.AppendData(block, 0, length);
                await writing; // the other block is free again
                writing = Task.Run(() => target.Write(block, 0, length), CancellationToken.None);
                copied += length;
                progress?.Invoke(copied);
                current = 1 - current;
            }
            await writing;
        }
        finally
        {
            // No write still uses a block or the file when they are given back (or the caller closes the file).
            await writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            foreach (var block in blocks) ArrayPool<byte>.Shared.Return(block);
        }
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), copied);
    }
}
