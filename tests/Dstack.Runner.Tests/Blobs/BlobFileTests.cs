using System.Security.Cryptography;
using Dstack.Contracts.Blobs;
using Dstack.Runner.Blobs;
using Dstack.Runner.Tests.Support;
using Dstack.Runner.Workspace;

namespace Dstack.Runner.Tests.Blobs;

/// <summary>Small blobs read from a file are copied with blocking calls, the rest streamed: both paths write and check the same way.</summary>
public sealed class BlobFileTests : IDisposable
{
    private const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly TempFolder _temp = new();

    [Theory]
    [InlineData(10, false)]
    [InlineData(1 << 20, false)]
    [InlineData((1 << 20) + 1, false)]
    [InlineData(3 << 20, false)]
    [InlineData(10, true)]
    [InlineData(3 << 20, true)]
    public async Task TheFileHoldsTheBlobWithItsMode_AndNothingElseIsLeft(int size, bool servedAsAStream)
    {
        var content = new byte[size];
        new Random(size).NextBytes(content);
        var store = new FolderBlobStore(_temp.Combine("blobs"));
        var sha = store.Put(content);
        var destination = _temp.Combine("work", "placed.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);

        await BlobFile.DownloadAsync(servedAsAStream ? new StreamedBlobs(store) : store, sha, destination, Mode, CancellationToken.None);

        Assert.Equal(content, await File.ReadAllBytesAsync(destination));
        Assert.Equal(Mode, File.GetUnixFileMode(destination));
        Assert.Equal([destination], Directory.GetFileSystemEntries(Path.GetDirectoryName(destination)!));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(3 << 20)]
    public async Task ABlobWhoseContentIsNotItsHashIsRefused_AndNothingIsWritten(int size)
    {
        var store = new FolderBlobStore(_temp.Combine("blobs"));
        var claimed = Convert.ToHexStringLower(SHA256.HashData("what was stored"u8));
        store.PutCorrupt(claimed, new byte[size]);
        var folder = Directory.CreateDirectory(_temp.Combine("work")).FullName;

        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            BlobFile.DownloadAsync(store, claimed, Path.Combine(folder, "placed.bin"), Mode, CancellationToken.None));

        Assert.Contains("arrived with SHA-256", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AKeptFileLongerThanTheBlob_BecomesTheFile_WithNoneOfItsOldBytesLeft(bool servedAsAStream)
    {
        var store = new FolderBlobStore(_temp.Combine("blobs"));
        var sha = store.Put("new\n"u8.ToArray());
        var work = Directory.CreateDirectory(_temp.Combine("work")).FullName;
        var spares = new SpareFiles(_temp.Combine("spare"));
        var old = Path.Combine(work, "old.txt");
        await File.WriteAllTextAsync(old, "an older and much longer file\n");
        spares.Remove(old);
        Assert.Equal(1, spares.Count);
        var destination = Path.Combine(work, "placed.txt");

        await BlobFile.DownloadAsync(servedAsAStream ? new StreamedBlobs(store) : store, sha, destination, Mode, CancellationToken.None, spares);

        Assert.Equal("new\n", await File.ReadAllTextAsync(destination));
        Assert.Equal(Mode, File.GetUnixFileMode(destination));
        Assert.Equal(0, spares.Count);
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>The same blobs as a stream that is not a file, as they come from a remote server.</summary>
    private sealed class StreamedBlobs(FolderBlobStore inner) : IBlobTransfer
    {
        public Task<T> ReadAsync<T>(string sha256, Func<Stream, CancellationToken, Task<T>> consume, CancellationToken ct) =>
            consume(new MemoryStream(inner.Get(sha256), writable: false), ct);

        public Task<bool> ExistsAsync(string sha256, CancellationToken ct) => inner.ExistsAsync(sha256, ct);

        public Task<BlobRef> UploadFileAsync(string path, CancellationToken ct) => inner.UploadFileAsync(path, ct);

        public Task<BlobRef?> AdoptAsync(BlobAdoptRequest request, CancellationToken ct) => inner.AdoptAsync(request, ct);
    }
}
