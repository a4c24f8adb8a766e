using Dstack.Contracts.Blobs;

namespace Dstack.Runner.Blobs;

/// <summary>
/// Blobs for a runner on the store's machine: read from the store's files when they are there, through the server
/// otherwise (a blob the server keeps elsewhere, a store that moved); uploads and adoptions always go to the server,
/// which owns the store.
/// </summary>
public sealed class LocalFirstBlobTransfer(IBlobTransfer server, LocalBlobStore local) : IBlobTransfer
{
    public async Task<T> ReadAsync<T>(string sha256, Func<Stream, CancellationToken, Task<T>> consume, CancellationToken ct)
    {
        var file = local.TryOpenRead(sha256);
        if (file is null) return await server.ReadAsync(sha256, consume, ct);
        await using (file) return await consume(file, ct);
    }

    public async Task<bool> ExistsAsync(string sha256, CancellationToken ct) => local.Has(sha256) || await server.ExistsAsync(sha256, ct);

    public Task<BlobRef> UploadFileAsync(string path, CancellationToken ct) => server.UploadFileAsync(path, ct);

    public Task<BlobRef?> AdoptAsync(BlobAdoptRequest request, CancellationToken ct) => server.AdoptAsync(request, ct);
}
