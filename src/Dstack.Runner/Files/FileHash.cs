using System.Buffers;
using System.Security.Cryptography;

namespace Dstack.Runner.Files;

/// <summary>
/// The SHA-256 of a file, read once in 1 MiB blocks with plain blocking reads (on the caller's thread, or for a large
/// file on a thread of its own: <see cref="ComputeOnItsOwnThreadAsync"/>). Hashing bounds
/// how fast artifacts are kept; .NET's asynchronous file reads on Linux hop through the thread pool for every block,
/// which cost a tenth more than the hash itself with 80 KB blocks.
/// </summary>
public static class FileHash
{
    private const int BlockSize = 1 << 20;

    /// <summary>
    /// <see cref="Compute"/> on a thread of its own, for a large file: seconds of blocking reads must not hold a pool
    /// thread that heartbeats, log shipping and the other slots need.
    /// </summary>
    public static Task<(string Sha256, long Size)> ComputeOnItsOwnThreadAsync(string path, CancellationToken ct) =>
        Task.Factory.StartNew(() => Compute(path, ct), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public static (string Sha256, long Size) Compute(string path, CancellationToken ct)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0, FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var block = ArrayPool<byte>.Shared.Rent(BlockSize);
        try
        {
            long size = 0;
            int read;
            while ((read = file.Read(block, 0, BlockSize)) > 0)
            {
                ct.ThrowIfCancellationRequested();
                hash.AppendData(block, 0, read);
                size += read;
            }
            return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }
}
