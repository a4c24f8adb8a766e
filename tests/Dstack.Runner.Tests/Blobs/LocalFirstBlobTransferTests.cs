using System.Security.Cryptography;
using Dstack.Runner.Blobs;
using Dstack.Runner.Tests.Support;

namespace Dstack.Runner.Tests.Blobs;

public sealed class LocalFirstBlobTransferTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private static async Task<byte[]> ReadAllAsync(IBlobTransfer blobs, string sha256) =>
        await blobs.ReadAsync(sha256, async (stream, ct) =>
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, ct);
            return copy.ToArray();
        }, CancellationToken.None);

    [Fact]
    public async Task ABlobInTheLocalStoreIsReadFromItsFile_AndOneThatIsNotComesFromTheServer()
    {
        var server = new FolderBlobStore(_temp.Combine("server"));
        var localContent = "from the store's file"u8.ToArray();
        var localSha = Convert.ToHexStringLower(SHA256.HashData(localContent));
        var store = _temp.Combine("store");
        Directory.CreateDirectory(Path.Combine(store, localSha[..2]));
        await File.WriteAllBytesAsync(Path.Combine(store, localSha[..2], localSha), localContent);
        var remoteSha = server.Put("only on the server"u8.ToArray());
        var blobs = new LocalFirstBlobTransfer(server, new LocalBlobStore(store));

        Assert.Equal(localContent, await ReadAllAsync(blobs, localSha));
        Assert.Equal("only on the server"u8.ToArray(), await ReadAllAsync(blobs, remoteSha));
        Assert.True(await blobs.ExistsAsync(localSha, CancellationToken.None));
        Assert.True(await blobs.ExistsAsync(remoteSha, CancellationToken.None));
        Assert.False(await blobs.ExistsAsync(new string('c', 64), CancellationToken.None));
        Assert.Null(new LocalBlobStore(store).TryOpenRead("../" + localSha[3..]));
        Assert.Equal(Path.Combine(store, "inbox"), new LocalBlobStore(store).Inbox.Folder);
    }

    public void Dispose() => _temp.Dispose();
}
