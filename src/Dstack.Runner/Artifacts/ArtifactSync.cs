using Dstack.Contracts.Artifacts;
using Dstack.Contracts.Runner;
using Dstack.Runner.Blobs;

namespace Dstack.Runner.Artifacts;

/// <summary>
/// The artifact paths of one running job, synced to the blob store: checkpoints while it runs, and the final
/// upload after its commands. One sync at a time (the final upload waits for a checkpoint in flight), all
/// sharing one <see cref="ArtifactHashCache"/>, so each version of a file is read and uploaded once.
/// </summary>
public sealed class ArtifactSync(string workspaceRoot, string workDir, IReadOnlyList<string> artifacts, IBlobTransfer blobs, BlobInbox? inbox) : IDisposable
{
    private readonly SemaphoreSlim _running = new(1, 1);
    private readonly ArtifactHashCache _cache = new();
    private IReadOnlyList<ArtifactFile>? _lastCheckpoint;

    /// <summary>
    /// Uploads what changed since the last sync and sends the manifest as a checkpoint (Checkpoint and Partial
    /// set); nothing is sent when the files are those of the last checkpoint. A declared path that does not
    /// exist yet is not an error (the job may not have written it yet); refused paths are left to the final upload.
    /// </summary>
    public async Task<ArtifactUpload> CheckpointAsync(long fencingToken, Func<ArtifactManifest, CancellationToken, Task> putManifest, CancellationToken ct)
    {
        await _running.WaitAsync(ct);
        try
        {
            var collected = Collect();
            var upload = await ArtifactUploader.UploadAsync(collected.Files, blobs, _cache, null, ct);
            if (_lastCheckpoint is null || !_lastCheckpoint.SequenceEqual(upload.Files))
            {
                await putManifest(new ArtifactManifest
                {
                    FencingToken = fencingToken,
                    Files = upload.Files,
                    Missing = collected.Missing,
                    Partial = true,
                    Checkpoint = true,
                }, ct);
                _lastCheckpoint = upload.Files;
            }
            return upload;
        }
        finally
        {
            _running.Release();
        }
    }

    /// <summary>The declared artifacts as they are in the workspace now.</summary>
    public CollectedArtifacts Collect() => ArtifactCollector.Collect(workspaceRoot, workDir, artifacts);

    /// <summary>
    /// The final upload of the collected files: waits for a checkpoint in flight, then stores what changed since. The
    /// job's processes are gone: with an inbox, files are moved out of the workspace into the store rather than copied.
    /// </summary>
    public async Task<ArtifactUpload> UploadAsync(IReadOnlyList<LocalArtifactFile> files, CancellationToken ct)
    {
        await _running.WaitAsync(ct);
        try
        {
            return await ArtifactUploader.UploadAsync(files, blobs, _cache, inbox, ct, sideBySide: true);
        }
        finally
        {
            _running.Release();
        }
    }

    public void Dispose() => _running.Dispose();
}
