using Dstack.Contracts.Blobs;
using Dstack.Contracts.Client;

namespace Dstack.Cli.Artifacts;

/// <summary>
/// Where a download reads a blob: the embedded server's store folder when the blob's file is there (the CLI runs on the
/// server's machine, as the user who owns DSTACK_HOME), else the server. A file read from the store costs no request and
/// no copy through a socket and the server's process; what is read is checked against its SHA-256 all the same.
/// </summary>
public sealed class BlobSource(DstackClient client, string? localStore)
{
    public async Task<Stream> OpenAsync(string sha256, CancellationToken ct) =>
        (localStore is null ? null : BlobStoreLayout.TryOpenRead(localStore, sha256)) ?? await client.OpenBlobAsync(sha256, ct);
}
