using Dstack.Runner.Files;

namespace Dstack.Runner.Artifacts;

/// <summary>
/// The hashes of a final upload's large files, each started side by side (<see cref="SideBySideHashes"/>) when the upload
/// comes within a window of it, as many files ahead as the runner has cores: an upload of hundreds of shards does not
/// queue them all before the next slot's one file, and one that fails has little hashing left to stop. Disposing stops
/// the hashes not needed any more and waits for them: no hash still reads a file of the job once the upload returned.
/// </summary>
public sealed class HashesAhead(IReadOnlyList<string?> toHash, CancellationToken ct) : IAsyncDisposable
{
    private static readonly int Window = Environment.ProcessorCount;

    private readonly Task<(string Sha256, long Size)>?[] _hashes = new Task<(string Sha256, long Size)>?[toHash.Count];
    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
    private int _next;

    /// <summary>The hash of file <paramref name="index"/>, or null when it is not one to hash here (toHash has no path for it).</summary>
    public Task<(string Sha256, long Size)>? Get(int index)
    {
        for (; _next < toHash.Count && _next <= index + Window; _next++)
        {
            if (toHash[_next] is { } path) _hashes[_next] = SideBySideHashes.ComputeAsync(path, _stop.Token);
        }
        return _hashes[index];
    }

    public async ValueTask DisposeAsync()
    {
        // After a complete upload every hash was awaited already; after a failed one the rest are not needed.
        await _stop.CancelAsync();
        foreach (var hash in _hashes)
        {
            if (hash is null) continue;
            try
            {
                await hash;
            }
            catch (Exception)
            {
                // stopped, or failed: the upload has ended without it, and its own failure (if any) is on its way
            }
        }
        _stop.Dispose();
    }
}
