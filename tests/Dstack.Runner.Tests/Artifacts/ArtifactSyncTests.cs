using Dstack.Contracts.Runner;
using Dstack.Runner.Artifacts;
using Dstack.Runner.Tests.Support;

namespace Dstack.Runner.Tests.Artifacts;

public sealed class ArtifactSyncTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly FolderBlobStore _blobs;
    private readonly List<ArtifactManifest> _manifests = [];
    private readonly ArtifactSync _sync;

    public ArtifactSyncTests()
    {
        _blobs = new FolderBlobStore(_temp.Combine("blobs"));
        Directory.CreateDirectory(_temp.Combine("ws", "ckpt"));
        _sync = new ArtifactSync(_temp.Combine("ws"), _temp.Combine("ws"), ["ckpt", "final"], _blobs, null);
    }

    /// <summary>Writes a file as the job would have, long enough ago that its time is trusted (see ArtifactHashCache.RacyWindow).</summary>
    private void Write(string relative, string content)
    {
        var path = _temp.Combine("ws", relative);
        File.WriteAllText(path, content);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - TimeSpan.FromMinutes(1) + TimeSpan.FromMilliseconds(Random.Shared.Next(1000)));
    }

    private Task<ArtifactUpload> CheckpointAsync() =>
        _sync.CheckpointAsync(42, (manifest, _) =>
        {
            _manifests.Add(manifest);
            return Task.CompletedTask;
        }, CancellationToken.None);

    [Fact]
    public async Task ACheckpointUploadsTheFilesThatChanged_AndNeitherHashesNorUploadsTheOthers()
    {
        Write("ckpt/step.txt", "step 1");
        Write("ckpt/config.txt", "lr=0.1");
        var first = await CheckpointAsync();

        Write("ckpt/step.txt", "step 2");
        var second = await CheckpointAsync();

        Assert.Equal((2, 2, 2), (first.Files.Count, first.Hashed, first.Uploaded));
        Assert.Equal((2, 1, 1), (second.Files.Count, second.Hashed, second.Uploaded));
        Assert.Equal(3, _blobs.Uploads);
        var manifest = _manifests[^1];
        Assert.True(manifest.Checkpoint);
        Assert.True(manifest.Partial);
        Assert.Equal(42, manifest.FencingToken);
        Assert.Equal("step 2"u8.ToArray(), _blobs.Get(manifest.Files.Single(f => f.Path == "ckpt/step.txt").Sha256));
    }

    [Fact]
    public async Task ACheckpointOfUnchangedFilesSendsNoManifest()
    {
        Write("ckpt/step.txt", "step 1");
        await CheckpointAsync();

        var again = await CheckpointAsync();

        Assert.Equal((1, 0, 0), (again.Files.Count, again.Hashed, again.Uploaded));
        Assert.Single(_manifests);
    }

    [Fact]
    public async Task AnArtifactPathThatDoesNotExistYet_IsNoErrorAtCheckpointTime()
    {
        Write("ckpt/step.txt", "step 1");

        var upload = await CheckpointAsync();

        Assert.Single(upload.Files);
        Assert.Equal(["final"], _manifests.Single().Missing);
    }

    [Fact]
    public async Task AFileWrittenJustBeforeItWasLookedAt_IsHashedAgainNextTime()
    {
        // Its time may not change if it is written again within the same clock step: its hash is not trusted.
        File.WriteAllText(_temp.Combine("ws", "ckpt", "step.txt"), "step 1");
        await CheckpointAsync();

        var again = await CheckpointAsync();

        Assert.Equal(1, again.Hashed);
    }

    [Fact]
    public async Task TheFinalUploadReusesWhatTheCheckpointsStored()
    {
        Write("ckpt/step.txt", "step 1");
        await CheckpointAsync();
        Write("ckpt/last.txt", "done");

        var final = await _sync.UploadAsync(_sync.Collect().Files, CancellationToken.None);

        Assert.Equal((2, 1, 1), (final.Files.Count, final.Hashed, final.Uploaded));
    }

    public void Dispose()
    {
        _sync.Dispose();
        _temp.Dispose();
    }
}
