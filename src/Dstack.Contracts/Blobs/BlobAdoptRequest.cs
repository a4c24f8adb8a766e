namespace Dstack.Contracts.Blobs;

/// <summary>
/// A runner on the server's own machine asks the server to take a file it moved into the blob store's inbox
/// (<c>DSTACK_RUNNER_BLOB_STORE</c>/inbox) as the blob <see cref="Sha256"/>: the runner hashed it while reading it once, and
/// the server renames it into place instead of receiving a copy over HTTP.
/// </summary>
/// <param name="Name">The file's name in the inbox (letters, digits and '-' only).</param>
/// <param name="Sha256">Its content's SHA-256, lower-case hex, as the runner computed it.</param>
/// <param name="Size">Its size in bytes, checked by the server.</param>
public sealed record BlobAdoptRequest(string Name, string Sha256, long Size);
