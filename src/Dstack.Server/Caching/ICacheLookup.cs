namespace Dstack.Server.Caching;

/// <summary>
/// What planning a run reads of earlier jobs, bound to one owner and one transaction: inside a submission's write
/// transaction, so the decision to reuse, await or start a key and the insert of the run are one step.
/// </summary>
public interface ICacheLookup
{
    /// <summary>The owner's jobs with the key, newest first, whatever their status; without their key documents (CacheParts null).</summary>
    IReadOnlyList<CachedJob> JobsWithKey(string cacheKey);

    /// <summary>The SHA-256 of every artifact file the job stored.</summary>
    IReadOnlyList<string> ArtifactBlobs(string jobId);

    /// <summary>The owner's run of the repository with the tag; null when none has it.</summary>
    TaggedRun? FindTaggedRun(string repoUrl, string tag);

    /// <summary>The owner's latest jobs of the repository's workflow that have a key, newest first, with their key documents.</summary>
    IReadOnlyList<CachedJob> RecentWithKey(string repoUrl, string workflow, int count);
}
