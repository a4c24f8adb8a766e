using System.Net;
using System.Security.Cryptography;
using Dstack.Contracts.Blobs;
using Dstack.Contracts.Client;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Blobs;

public sealed class BlobEndpointsTests
{
    [Fact]
    public async Task Blob_RoundTrips_WithItsSha256()
    {
        await using var harness = await ServerHarness.StartAsync();
        var content = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);

        var blob = await harness.User.UploadBlobAsync(new MemoryStream(content));
        await using var download = await harness.Runner.OpenBlobAsync(blob.Sha256);
        var copy = new MemoryStream();
        await download.CopyToAsync(copy);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), blob.Sha256);
        Assert.Equal(content.Length, blob.Size);
        Assert.Equal(content, copy.ToArray());
        Assert.True(await harness.User.BlobExistsAsync(blob.Sha256));
    }

    [Fact]
    public async Task SameContent_IsStoredOnce()
    {
        await using var harness = await ServerHarness.StartAsync();
        var content = RandomNumberGenerator.GetBytes(1000);

        var first = await harness.User.UploadBlobAsync(new MemoryStream(content));
        var second = await harness.Runner.UploadBlobAsync(new MemoryStream(content));

        Assert.Equal(first, second);
        var stored = Directory.GetFiles(Path.Combine(harness.Home, "blobs"), "*", SearchOption.AllDirectories);
        Assert.Equal([Path.Combine(harness.Home, "blobs", first.Sha256[..2], first.Sha256)], stored);
    }

    [Fact]
    public async Task Blob_LargerThanKestrelsDefaultBodyLimit_IsAccepted()
    {
        await using var harness = await ServerHarness.StartAsync();
        var content = new byte[40 * 1024 * 1024];
        content[^1] = 1;

        var blob = await harness.User.UploadBlobAsync(new MemoryStream(content));

        Assert.Equal(content.Length, blob.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), blob.Sha256);
    }

    [Fact]
    public async Task UnknownBlob_IsAbsent_AndABadName_IsRefused()
    {
        await using var harness = await ServerHarness.StartAsync();
        var unknown = new string('a', 64);

        Assert.False(await harness.User.BlobExistsAsync(unknown));
        var missing = await Assert.ThrowsAsync<DstackApiException>(() => harness.User.OpenBlobAsync(unknown));
        var bad = await Assert.ThrowsAsync<DstackApiException>(() => harness.User.OpenBlobAsync("..%2Fstate.db"));

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("SHA-256", bad.Message);
    }

    [Fact]
    public async Task AFileInTheInbox_IsTakenAsTheBlob_WithARename_AndOnlyOnce()
    {
        await using var harness = await ServerHarness.StartAsync();
        var content = RandomNumberGenerator.GetBytes(100_000);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var inbox = Path.Combine(harness.Home, "blobs", "inbox");
        var moved = Path.Combine(inbox, "0123456789abcdef");
        await File.WriteAllBytesAsync(moved, content);
        var written = new FileInfo(moved).LastWriteTimeUtc;

        var blob = await harness.Runner.AdoptBlobAsync(new BlobAdoptRequest("0123456789abcdef", sha, content.Length));
        var replayed = await harness.Runner.AdoptBlobAsync(new BlobAdoptRequest("0123456789abcdef", sha, content.Length)); // its answer was lost
        await File.WriteAllBytesAsync(Path.Combine(inbox, "again"), content);
        var again = await harness.Runner.AdoptBlobAsync(new BlobAdoptRequest("again", sha, content.Length));

        Assert.Equal(new BlobRef(sha, content.Length), blob);
        Assert.Equal(blob, replayed);
        Assert.Equal(blob, again);
        var stored = Path.Combine(harness.Home, "blobs", sha[..2], sha);
        Assert.Equal(content, await File.ReadAllBytesAsync(stored));
        Assert.Equal(written, new FileInfo(stored).LastWriteTimeUtc); // the same file, renamed: not a copy
        Assert.Empty(Directory.GetFiles(inbox));
        Assert.True(await harness.User.BlobExistsAsync(sha));
    }

    [Fact]
    public async Task TheInbox_RefusesAMissingFile_AWrongSize_ABadName_AndAUserToken()
    {
        await using var harness = await ServerHarness.StartAsync();
        var inbox = Path.Combine(harness.Home, "blobs", "inbox");
        var sha = new string('b', 64);
        await File.WriteAllBytesAsync(Path.Combine(inbox, "short"), [1, 2, 3]);

        var missing = await Assert.ThrowsAsync<DstackApiException>(() => harness.Runner.AdoptBlobAsync(new BlobAdoptRequest("nothing", sha, 3)));
        var wrongSize = await Assert.ThrowsAsync<DstackApiException>(() => harness.Runner.AdoptBlobAsync(new BlobAdoptRequest("short", sha, 4)));
        var badName = await Assert.ThrowsAsync<DstackApiException>(() => harness.Runner.AdoptBlobAsync(new BlobAdoptRequest("../token", sha, 3)));
        var user = await Assert.ThrowsAsync<DstackApiException>(() => harness.User.AdoptBlobAsync(new BlobAdoptRequest("short", sha, 3)));

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrongSize.StatusCode);
        Assert.Contains("has 3 bytes, not 4", wrongSize.Message);
        Assert.False(File.Exists(Path.Combine(inbox, "short")));
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Contains("not a name of the blob inbox", badName.Message);
        Assert.True(user.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden);
        Assert.False(await harness.User.BlobExistsAsync(sha));
    }
}
