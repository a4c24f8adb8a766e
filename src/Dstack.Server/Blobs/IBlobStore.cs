using Dstack.Contracts.Blobs;

namespace Dstack.Server.Blobs;

/// <summary>Content-addressed storage (SHA-256) for diffs, untracked files and artifacts. A later provider stores them in S3.</summary>
public interface IBlobStore
{
    /// <summary>Stores the content, hashing it while it streams; content already stored is kept once.</summary>
    Task<BlobRef> PutAsync(Stream content, CancellationToken ct);

    /// <summary>The blob for reading, or null when it is not stored.</summary>
    Stream? OpenRead(string sha256);

    bool Exists(string sha256);

    long? SizeOf(string sha256);

    /// <summary>
    /// Removes the blob; false when it was not stored. Only `dstack prune` calls it, for blobs that no row of the database
    /// references any more: content-addressed blobs are shared, so nothing else may delete one.
    /// </summary>
    bool Delete(string sha256);
}
