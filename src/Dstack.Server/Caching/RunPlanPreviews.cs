using Dstack.Contracts.Runs;
using Dstack.Core.Caching;

namespace Dstack.Server.Caching;

/// <summary>
/// `dstack run --dry-run`: each job's decision and, for a job that would run, why nothing could be taken: --no-cache,
/// a job with the key that can't be used, or what differs from the closest earlier job of the workflow.
/// </summary>
public static class RunPlanPreviews
{
    /// <summary>How many of a workflow's latest jobs are compared to find the closest.</summary>
    public const int ComparedJobs = 50;

    public const string NoCache = "--no-cache";
    public const string NoEarlierJob = "no earlier job of this workflow";

    public static RunPlanPreview Build(string workflow, IReadOnlyList<ResolvedJob> jobs, SubmitRunRequest request, ICacheLookup lookup) => new()
    {
        Workflow = workflow,
        Jobs = jobs.Select(job => Preview(job, request, lookup)).ToList(),
    };

    private static JobPlanPreview Preview(ResolvedJob job, SubmitRunRequest request, ICacheLookup lookup)
    {
        var preview = new JobPlanPreview { Workflow = job.Job.Workflow, Decision = job.Decision, CacheKey = job.Key };
        if (job.Taken is { } taken) return preview with { JobId = taken.JobId, RunName = taken.RunName };
        if (request.NoCache) return preview with { Differences = [NoCache] };
        if (job.Refused is { } refused) return preview with { ClosestJobId = refused.JobId, Differences = [job.RefusedBecause!] };

        // Fewest differing parts wins; the list is newest first, so a strict comparison keeps the newest of a tie.
        (CachedJob Job, IReadOnlyList<string> Differences)? closest = null;
        foreach (var earlier in lookup.RecentWithKey(request.RepoUrl, job.Job.Workflow, ComparedJobs))
        {
            if (earlier.CacheParts is null || CacheKeyDocument.Read(earlier.CacheParts) is not { } parts) continue;
            var differences = CacheKeyComparison.Differences(job.Parts, parts);
            if (closest is null || differences.Count < closest.Value.Differences.Count) closest = (earlier, differences);
        }
        return closest is { } found
            ? preview with { ClosestJobId = found.Job.JobId, Differences = found.Differences }
            : preview with { Differences = [NoEarlierJob] };
    }
}
