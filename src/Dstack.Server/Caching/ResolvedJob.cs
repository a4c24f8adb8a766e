using Dstack.Contracts.Runs;
using Dstack.Core.Caching;
using Dstack.Core.Planning;

namespace Dstack.Server.Caching;

/// <summary>A planned job with its cache key and what the run does for it: start it, reuse a DONE job, or await one going.</summary>
public sealed record ResolvedJob
{
    public required PlannedJob Job { get; init; }
    public required CacheKeyParts Parts { get; init; }
    /// <summary>The canonical key document, stored with a new job.</summary>
    public required string Document { get; init; }
    public required string Key { get; init; }
    public required CacheDecision Decision { get; init; }
    /// <summary>For Reuse and Await: the earlier job the run takes as its own.</summary>
    public CachedJob? Taken { get; init; }
    /// <summary>For Run: the newest job with the same key, when there is one, and why the run could not take it.</summary>
    public CachedJob? Refused { get; init; }
    public string? RefusedBecause { get; init; }
    /// <summary>The jobs this one depends on as the run has them: a reused or awaited job's id, a tagged run's job.</summary>
    public required IReadOnlyList<string> DependsOn { get; init; }

    /// <summary>The id of the job the run lists for this workflow.</summary>
    public string UsedJobId => Taken?.JobId ?? Job.JobId;
}
