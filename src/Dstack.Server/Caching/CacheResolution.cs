using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runs;
using Dstack.Core.Caching;
using Dstack.Core.Planning;
using Dstack.Core.Workflows;
using Dstack.Server.Blobs;
using Dstack.Server.Errors;

namespace Dstack.Server.Caching;

/// <summary>
/// Keys a run's planned jobs in plan order (a job's key includes its dependencies' keys) and decides for each: reuse the
/// newest DONE job with the key whose artifacts are all still stored, else await the newest one still going, else run
/// it anew. A FAILED, STOPPED or ABORTED job (or one on its way there) is never taken. Tagged dependencies are resolved
/// here, so a run naming an unknown tag or a tagged job that can't deliver is refused before anything is stored.
/// </summary>
public static class CacheResolution
{
    private static readonly JobStatus[] Going = [JobStatus.Submitted, JobStatus.Running, JobStatus.Uploading];
    private static readonly JobStatus[] Hopeless = [JobStatus.Failed, JobStatus.Stopped, JobStatus.Aborted, JobStatus.Stopping, JobStatus.Aborting];

    public static IReadOnlyList<ResolvedJob> Resolve(RunPlan plan, SubmitRunRequest request, ICacheLookup lookup, IBlobStore blobs)
    {
        var resolved = new Dictionary<string, ResolvedJob>(StringComparer.Ordinal);
        var result = new List<ResolvedJob>();
        foreach (var job in plan.Jobs)
        {
            var dependencies = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var dependsOn = new List<string>();
            foreach (var id in job.DependsOnJobIds)
            {
                var dependency = resolved[id];
                dependencies[dependency.Job.Workflow] = dependency.Key;
                dependsOn.Add(dependency.UsedJobId);
            }
            foreach (var tagged in job.TagDependencies)
            {
                var taken = TaggedJob(job, tagged, request.RepoUrl, lookup);
                // A job created before cache keys existed is still a fixed input: its id stands for its key.
                dependencies[$"{tagged.Workflow}:{tagged.Tag}"] = taken.CacheKey ?? "job:" + taken.JobId;
                if (!dependsOn.Contains(taken.JobId)) dependsOn.Add(taken.JobId);
            }

            var parts = new CacheKeyParts
            {
                RepoUrl = request.RepoUrl,
                Code = Code(request.Code, job.RepoIncludes),
                Definition = job.KeyDefinition,
                Variables = new SortedDictionary<string, string>(job.Variables.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal), StringComparer.Ordinal),
                Dependencies = dependencies,
            };
            var document = CacheKeyDocument.Write(parts);
            var entry = Decide(new ResolvedJob
            {
                Job = job,
                Parts = parts,
                Document = document,
                Key = CacheKeyDocument.Hash(document),
                Decision = CacheDecision.Run,
                DependsOn = dependsOn,
            }, request.NoCache, lookup, blobs);
            resolved[job.JobId] = entry;
            result.Add(entry);
        }
        return result;
    }

    private static ResolvedJob Decide(ResolvedJob entry, bool noCache, ICacheLookup lookup, IBlobStore blobs)
    {
        if (noCache) return entry;
        // The key hashes what a job does, not its workflow's name: two workflows with the same definition share keys. A
        // run lists a job of its own workflow (tags and `status` go by workflow), so only that workflow's jobs are taken.
        var earlier = lookup.JobsWithKey(entry.Key).Where(j => j.Workflow == entry.Job.Workflow).ToList();
        CachedJob? gone = null;
        foreach (var job in earlier.Where(j => j.Status == JobStatus.Done && !j.ArtifactsPartial))
        {
            // Storage lost or pruned by hand: a hit whose files are not all there would hand the dependents nothing.
            if (lookup.ArtifactBlobs(job.JobId).All(blobs.Exists)) return entry with { Decision = CacheDecision.Reuse, Taken = job };
            gone ??= job;
        }
        var going = earlier.FirstOrDefault(j => Going.Contains(j.Status));
        if (going is not null) return entry with { Decision = CacheDecision.Await, Taken = going };
        if (gone is not null) return entry with { Refused = gone, RefusedBecause = $"job {gone.JobId} had this key but its artifacts are gone" };
        if (earlier.Count == 0) return entry;
        var newest = earlier[0];
        var because = newest.Status == JobStatus.Done
            ? $"job {newest.JobId} had this key but its artifacts are incomplete"
            : $"job {newest.JobId} had this key but is {newest.Status.ToDisplay()}: a failed, stopped or aborted job is never reused";
        return entry with { Refused = newest, RefusedBecause = because };
    }

    private static CachedJob TaggedJob(PlannedJob job, WorkflowDependency tagged, string repoUrl, ICacheLookup lookup)
    {
        var written = $"{tagged.Workflow}:{tagged.Tag}";
        var run = lookup.FindTaggedRun(repoUrl, tagged.Tag!)
            ?? throw ApiErrorException.BadRequest(
                $"workflow {job.Workflow} depends on {written}, but no run of this repository is tagged {tagged.Tag}: "
                + $"`dstack status` shows the tags; tag a run with `dstack tag RUN {tagged.Tag}`");
        var member = run.Members.FirstOrDefault(m => m.Workflow == tagged.Workflow)
            ?? throw ApiErrorException.BadRequest(
                $"workflow {job.Workflow} depends on {written}, but run {run.RunName} (tagged {tagged.Tag}) has no job of workflow {tagged.Workflow}: "
                + $"tag a run that ran {tagged.Workflow}");
        if (Hopeless.Contains(member.Status))
        {
            throw ApiErrorException.BadRequest(
                $"workflow {job.Workflow} depends on {written}, but job {member.JobId} of {tagged.Workflow} in run {run.RunName} (tagged {tagged.Tag}) "
                + $"is {member.Status.ToDisplay()}: its artifacts will never be complete; tag a run whose {tagged.Workflow} job is DONE");
        }
        return member;
    }

    private static IReadOnlyDictionary<string, string> Code(RepoCode code, IReadOnlyList<string> includes)
    {
        try
        {
            return CodeIdentity.Of(code, includes);
        }
        catch (PlanningException e)
        {
            throw ApiErrorException.BadRequest(e.Message);
        }
    }
}
