using Dstack.Contracts.Blobs;

namespace Dstack.Runner.Blobs;

/// <summary>
/// The server's blob store seen from a runner on the same machine (the built-in one, told the folder in
/// DSTACK_RUNNER_BLOB_STORE), laid out as <see cref="BlobStoreLayout"/> says. Reading a blob's file costs no request and no copy
/// through a socket; what is read is checked against its hash as a download is.
/// </summary>
public sealed class LocalBlobStore(string root)
{
    public BlobInbox Inbox { get; } = new(BlobStoreLayout.InboxOf(root));

    /// <summary>The blob's file for reading, or null when the store does not have it (or the name is not a hash).</summary>
    public FileStream? TryOpenRead(string sha256) => BlobStoreLayout.TryOpenRead(root, sha256);

    public bool Has(string sha256) => PathOf(sha256) is { } path && File.Exists(path);

    private string? PathOf(string sha256) => BlobHash.IsValid(sha256) ? BlobStoreLayout.FileOf(root, sha256) : null;
}
