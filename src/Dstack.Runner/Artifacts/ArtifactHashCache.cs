namespace Dstack.Runner.Artifacts;

/// <summary>
/// What this job already stored, per file: size and modification time when it was hashed, and its SHA-256.
/// A file whose size and time are unchanged is neither hashed nor uploaded again, so a checkpoint of a
/// large artifact folder where one file changed reads one file. The size and time are taken before the
/// hash: a file written while it was hashed gets a newer time, and is hashed again next time.
/// </summary>
public sealed class ArtifactHashCache
{
    /// <summary>
    /// File times advance in coarse steps (a few milliseconds): a file written within such a step of when it
    /// was looked at could change again without its time changing ("racy git"). Such a file is not remembered.
    /// </summary>
    public static readonly TimeSpan RacyWindow = TimeSpan.FromMilliseconds(100);

    private readonly Dictionary<string, (long Size, long WriteTicks, string Sha256)> _entries = new(StringComparer.Ordinal);

    /// <summary>The stored hash of the file when it has not changed since, else null.</summary>
    public string? Find(string fullPath, long size, long writeTicks) =>
        _entries.TryGetValue(fullPath, out var entry) && entry.Size == size && entry.WriteTicks == writeTicks ? entry.Sha256 : null;

    /// <summary>Remembers the hash of a file as it was at <paramref name="lookedAt"/>, unless it was written too close to then.</summary>
    public void Remember(string fullPath, long size, long writeTicks, string sha256, DateTime lookedAt)
    {
        if (lookedAt.Ticks - writeTicks < RacyWindow.Ticks)
        {
            _entries.Remove(fullPath);
            return;
        }
        _entries[fullPath] = (size, writeTicks, sha256);
    }
}
