using Dstack.Contracts.Blobs;

namespace Dstack.Runner.Blobs;

/// <summary>The blob store as the runner sees it: content addressed by SHA-256 (lower-case hex).</summary>
public interface IBlobTransfer
{
    /// <summary>Streams a blob to <paramref name="consume"/>; may call it again from the start if the transfer breaks.</summary>
    Task<T> ReadAsync<T>(string sha256, Func<Stream, CancellationToken, Task<T>> consume, CancellationToken ct);

    Task<bool> ExistsAsync(string sha256, CancellationToken ct);

    /// <summary>Uploads a file's content; the answer carries the hash the store computed.</summary>
    Task<BlobRef> UploadFileAsync(string path, CancellationToken ct);

    /// <summary>
    /// Asks the store to take a file this runner moved into its inbox (see <see cref="BlobInbox"/>) as the blob of the
    /// given hash; null when the store has no such file (an inbox on another machine, or a server without inbox).
    /// </summary>
    Task<BlobRef?> AdoptAsync(BlobAdoptRequest request, CancellationToken ct);
}
