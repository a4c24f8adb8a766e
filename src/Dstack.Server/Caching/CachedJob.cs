using Dstack.Contracts.Jobs;

namespace Dstack.Server.Caching;

/// <summary>An earlier job as the cache sees it: who created it, how it ended, and its key with the parts it hashes.</summary>
public sealed record CachedJob
{
    public required string JobId { get; init; }
    /// <summary>The run that created the job.</summary>
    public required string RunName { get; init; }
    public required string Workflow { get; init; }
    public required JobStatus Status { get; init; }
    /// <summary>Null for a job created before cache keys existed.</summary>
    public string? CacheKey { get; init; }
    /// <summary>The canonical key document (CacheKeyDocument); null with the key.</summary>
    public string? CacheParts { get; init; }
    public required bool ArtifactsPartial { get; init; }
}
