namespace Dstack.Runner.Files;

/// <summary>
/// Hashes of large files taken side by side, at most one a core across the whole runner: the final upload of a job whose
/// artifacts are several large files (a checkpoint in shards) hashes them on the cores the finished job has left free,
/// and slots that finish together do not oversubscribe them. Each hash has a thread of its own
/// (<see cref="FileHash.ComputeOnItsOwnThreadAsync"/>).
/// </summary>
public static class SideBySideHashes
{
    private static readonly SemaphoreSlim Cores = new(Environment.ProcessorCount);

    public static async Task<(string Sha256, long Size)> ComputeAsync(string path, CancellationToken ct)
    {
        await Cores.WaitAsync(ct);
        try
        {
            return await FileHash.ComputeOnItsOwnThreadAsync(path, ct);
        }
        finally
        {
            Cores.Release();
        }
    }
}
