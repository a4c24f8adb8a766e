using System.Security.Cryptography;
using Dstack.Runner.Artifacts;
using Dstack.Runner.Blobs;
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

    [Fact]
    public async Task WithAnInbox_AFileIsMovedIntoTheStore_ReadOnce_AndNotUploaded()
    {
        var blobs = new FolderBlobStore(_temp.Combine("blobs"));
        var content = RandomNumberGenerator.GetBytes(1 << 20);
        var file = _temp.Combine("ws", "model.bin");
        Directory.CreateDirectory(_temp.Combine("ws"));
        await File.WriteAllBytesAsync(file, content);
        var written = new FileInfo(file).LastWriteTimeUtc;

        var upload = await ArtifactUploader.UploadAsync([new("out", "model.bin", file, 0x1A4)], blobs, null, new BlobInbox(blobs.Inbox), CancellationToken.None);

        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        Assert.Equal((sha, (long)content.Length, 0x1A4), (upload.Files[0].Sha256, upload.Files[0].Size, upload.Files[0].Mode));
        Assert.Equal((1, 0), (blobs.Adoptions, blobs.Uploads));
        Assert.Equal(content, blobs.Get(sha));
        Assert.Equal(written, new FileInfo(_temp.Combine("blobs", sha)).LastWriteTimeUtc); // moved, not copied
        Assert.False(File.Exists(file));
        Assert.Empty(Directory.GetFiles(blobs.Inbox));
    }

    [Fact]
    public async Task WithAnInbox_ContentTheStoreHasStaysWhereItIs_NeitherMovedNorUploaded()
    {
        var blobs = new FolderBlobStore(_temp.Combine("blobs"));
        var sha = blobs.Put([9, 9, 9]);
        var file = _temp.Combine("model.bin");
        await File.WriteAllBytesAsync(file, [9, 9, 9]);

        var upload = await ArtifactUploader.UploadAsync([new("out", "model.bin", file, 0x1A4)], blobs, null, new BlobInbox(blobs.Inbox), CancellationToken.None);

        Assert.Equal(sha, upload.Files[0].Sha256);
        Assert.Equal((0, 0), (blobs.Adoptions, blobs.Uploads));
        Assert.True(File.Exists(file));
        Assert.Empty(Directory.GetFiles(blobs.Inbox));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WithAnInbox_AHardLinkedFileIsUploaded_AndStaysWhereItIs(bool sideBySide)
    {
        var blobs = new FolderBlobStore(_temp.Combine("blobs"));
        var file = _temp.Combine("model.bin");
        await File.WriteAllBytesAsync(file, RandomNumberGenerator.GetBytes(3 << 20));
        Assert.Equal(0, Link(file, _temp.Combine("other-name.bin")));

        await ArtifactUploader.UploadAsync([new("out", "model.bin", file, 0x1A4)], blobs, null, new BlobInbox(blobs.Inbox), CancellationToken.None, sideBySide);

        Assert.Equal((0, 1), (blobs.Adoptions, blobs.Uploads));
        Assert.True(File.Exists(file));
    }

    [Fact]
    public async Task WithAnInboxTheStoreDoesNotSee_TheMovedFileIsUploaded_AndTheInboxLeftEmpty()
    {
        var blobs = new FolderBlobStore(_temp.Combine("blobs"));
        var elsewhere = _temp.Combine("another-machines-inbox");
        Directory.CreateDirectory(elsewhere);
        var file = _temp.Combine("model.bin");
        await File.WriteAllBytesAsync(file, [4, 5, 6]);

        var upload = await ArtifactUploader.UploadAsync([new("out", "model.bin", file, 0x1A4)], blobs, null, new BlobInbox(elsewhere), CancellationToken.None);

        Assert.Equal((0, 1), (blobs.Adoptions, blobs.Uploads));
        Assert.Equal(new byte[] { 4, 5, 6 }, blobs.Get(upload.Files[0].Sha256));
        Assert.Empty(Directory.GetFiles(elsewhere));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public async Task WithAnInbox_AFileThatALinkOfTheUploadPointsTo_StaysForTheLink_InEitherOrder(bool fileFirst, bool sideBySide)
    {
        var blobs = new FolderBlobStore(_temp.Combine("blobs"));
        Directory.CreateDirectory(_temp.Combine("ws", "lib"));
        var file = _temp.Combine("ws", "lib", "libfoo.so.1");
        var content = RandomNumberGenerator.GetBytes(3 << 20);
        await File.WriteAllBytesAsync(file, content);
        var link = _temp.Combine("ws", "lib", "libfoo.so");
        File.CreateSymbolicLink(link, "libfoo.so.1");
        LocalArtifactFile[] both = [new("lib", "lib/libfoo.so.1", file, 0x1ED), new("lib", "lib/libfoo.so", link, 0x1FF)];

        var upload = await ArtifactUploader.UploadAsync(fileFirst ? both : [.. both.Reverse()], blobs, null, new BlobInbox(blobs.Inbox), CancellationToken.None, sideBySide);

        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        Assert.All(upload.Files, f => Assert.Equal(sha, f.Sha256));
        Assert.Equal((0, 1), (blobs.Adoptions, blobs.Uploads));
        Assert.True(File.Exists(file));
    }

    [Fact]
    public async Task SideBySide_ManyLargeFiles_AreEachHashedAndMovedIn_InTheirOrder_WithTheSmallOnesAndTheCachedOnes()
    {
        var blobs = new FolderBlobStore(_temp.Combine("blobs"));
        Directory.CreateDirectory(_temp.Combine("ws", "ckpt"));
        var cache = new ArtifactHashCache();
        var contents = new List<byte[]>();
        var files = new List<LocalArtifactFile>();
        for (var i = 0; i < 2 * Environment.ProcessorCount + 1; i++)
        {
            // Large shards (hashed side by side, more of them than cores) between small files (hashed in turn).
            var content = RandomNumberGenerator.GetBytes(i % 3 == 2 ? 100 : (2 << 20) + i);
            var path = _temp.Combine("ws", "ckpt", $"part-{i:D2}");
            await File.WriteAllBytesAsync(path, content);
            contents.Add(content);
            files.Add(new("ckpt", $"ckpt/part-{i:D2}", path, 0x1A4));
        }
        // One the job's checkpoint already stored: known to the cache (written well before it was looked at), neither read
        // nor moved again.
        File.SetLastWriteTimeUtc(files[0].FullPath, DateTime.UtcNow.AddMinutes(-1));
        var known = await ArtifactUploader.UploadAsync([files[0]], blobs, cache, null, CancellationToken.None);

        var upload = await ArtifactUploader.UploadAsync(files, blobs, cache, new BlobInbox(blobs.Inbox), CancellationToken.None, sideBySide: true);

        Assert.Equal(files.Select(f => f.Path), upload.Files.Select(f => f.Path));
        Assert.Equal(contents.Select(c => (Convert.ToHexStringLower(SHA256.HashData(c)), c.LongLength)), upload.Files.Select(f => (f.Sha256, f.Size)));
        Assert.Equal(known.Files[0], upload.Files[0]);
        Assert.Equal((files.Count - 1, files.Count - 1), (upload.Hashed, upload.Uploaded));
        Assert.Equal(files.Count - 1, blobs.Adoptions);
        Assert.All(contents, c => Assert.Equal(c, blobs.Get(Convert.ToHexStringLower(SHA256.HashData(c)))));
        Assert.Equal([files[0].FullPath], Directory.GetFiles(_temp.Combine("ws", "ckpt")));
        Assert.Empty(Directory.GetFiles(blobs.Inbox));
    }

    [Fact]
    public async Task SideBySide_AFileThatIsGone_FailsTheUpload_BeforeAnyFileIsMoved()
    {
        var blobs = new FolderBlobStore(_temp.Combine("blobs"));
        Directory.CreateDirectory(_temp.Combine("ws"));
        var present = _temp.Combine("ws", "a.bin");
        await File.WriteAllBytesAsync(present, RandomNumberGenerator.GetBytes(3 << 20));
        LocalArtifactFile[] files = [new("out", "a.bin", present, 0x1A4), new("out", "gone.bin", _temp.Combine("ws", "gone.bin"), 0x1A4)];

        await Assert.ThrowsAsync<FileNotFoundException>(() =>
            ArtifactUploader.UploadAsync(files, blobs, null, new BlobInbox(blobs.Inbox), CancellationToken.None, sideBySide: true));

        Assert.True(File.Exists(present));
        Assert.Equal((0, 0), (blobs.Adoptions, blobs.Uploads));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string existing, string created);

    public void Dispose() => _temp.Dispose();
}
