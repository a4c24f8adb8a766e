using System.Net;
using System.Security.Cryptography;
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
}
