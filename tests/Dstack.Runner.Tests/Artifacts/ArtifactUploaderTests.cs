using System.Security.Cryptography;
using Dstack.Runner.Artifacts;
using Dstack.Runner.Tests.Support;

namespace Dstack.Runner.Tests.Artifacts;

public sealed class ArtifactUploaderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task EachFileIsHashedAndUploadedOnce_AndContentTheStoreHasIsNotUploadedAgain()
    {
        var blobs = new FolderBlobStore(_temp.Combine("blobs"));
        var content = RandomNumberGenerator.GetBytes(3 << 20);
        var big = _temp.Combine("big.bin");
        await File.WriteAllBytesAsync(big, content);
        var copy = _temp.Combine("copy.bin");
        File.Copy(big, copy);
        var files = new List<LocalArtifactFile>
        {
            new("out", "out/big.bin", big, 0x1A4),
            new("out", "out/copy.bin", copy, 0x1ED),
        };

        var uploaded = await ArtifactUploader.UploadAsync(files, blobs, CancellationToken.None);
        var again = await ArtifactUploader.UploadAsync(files, blobs, CancellationToken.None);

        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        Assert.Equal(1, blobs.Uploads);
        Assert.All(uploaded, f => Assert.Equal((sha, (long)content.Length), (f.Sha256, f.Size)));
        Assert.Equal(["out/big.bin", "out/copy.bin"], uploaded.Select(f => f.Path));
        Assert.Equal([0x1A4, 0x1ED], uploaded.Select(f => f.Mode));
        Assert.Equal(uploaded, again);
        Assert.Equal(content, blobs.Get(sha));
    }

    public void Dispose() => _temp.Dispose();
}
