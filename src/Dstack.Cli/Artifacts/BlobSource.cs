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
    public async Task<Stream> OpenAsync(string sha256, CancellationToken ct)
    {
        if (localStore is not null && BlobHash.IsValid(sha256))
        {
            try
            {
                // Unbuffered and blocking: the downloader reads it in large blocks, each a plain read() (ADR 0009).
                return new FileStream(BlobStoreLayout.FileOf(localStore, sha256), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
            {
                // not (or not readably) in this folder: the server has it elsewhere, or the store moved
            }
        }
        return await client.OpenBlobAsync(sha256, ct);
    }
}
