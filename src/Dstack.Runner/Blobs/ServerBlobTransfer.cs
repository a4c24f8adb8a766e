using System.Net;
using Dstack.Contracts.Blobs;
using Dstack.Contracts.Client;
using Dstack.Runner.Connection;

namespace Dstack.Runner.Blobs;

/// <summary>Blobs through the server's API; a transfer cut by a server restart starts over once it answers again.</summary>
public sealed class ServerBlobTransfer(ServerConnection connection) : IBlobTransfer
{
    public Task<T> ReadAsync<T>(string sha256, Func<Stream, CancellationToken, Task<T>> consume, CancellationToken ct) =>
        connection.CallAsync(async (client, token) =>
        {
            await using var stream = await client.OpenBlobAsync(sha256, token);
            return await consume(stream, token);
        }, ct);

    public Task<bool> ExistsAsync(string sha256, CancellationToken ct) =>
        connection.CallAsync((client, token) => client.BlobExistsAsync(sha256, token), ct);

    public async Task<BlobRef?> AdoptAsync(BlobAdoptRequest request, CancellationToken ct)
    {
        try
        {
            return await connection.CallAsync((client, token) => client.AdoptBlobAsync(request, token), ct);
        }
        catch (DstackApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<BlobRef> UploadFileAsync(string path, CancellationToken ct) =>
        connection.CallAsync(async (client, token) =>
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan);
            return await client.UploadBlobAsync(file, token);
        }, ct);
}
