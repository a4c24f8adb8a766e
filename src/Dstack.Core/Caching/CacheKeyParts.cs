namespace Dstack.Core.Caching;

/// <summary>
/// Everything a job's cache key hashes. Two jobs with equal parts do the same work on the same input, so a DONE one's
/// artifacts stand for the other's. <see cref="CacheKeyDocument"/> writes them canonically; the key is its SHA-256.
/// </summary>
public sealed record CacheKeyParts
{
    /// <summary>Bumped when what the key covers changes: keys of another version never match.</summary>
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;
    public required string RepoUrl { get; init; }
    /// <summary>The code the job sees (see <see cref="CodeIdentity"/>), entry name to hash.</summary>
    public required IReadOnlyDictionary<string, string> Code { get; init; }
    public required JobDefinition Definition { get; init; }
    /// <summary>The workflow's variables (global and its own) with the run's overrides applied to them.</summary>
    public required IReadOnlyDictionary<string, string> Variables { get; init; }
    /// <summary>Each dependency as written (`prepare`, `prepare:latest`) to the cache key of the job that satisfies it.</summary>
    public required IReadOnlyDictionary<string, string> Dependencies { get; init; }
}
