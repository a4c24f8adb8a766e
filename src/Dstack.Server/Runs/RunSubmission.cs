using Dstack.Contracts.Blobs;
using Dstack.Contracts.Runner;
using Dstack.Contracts.Runs;
using Dstack.Core.Naming;
using Dstack.Core.Planning;
using Dstack.Core.Workflows;
using Dstack.Server.Auth;
using Dstack.Server.Blobs;
using Dstack.Server.Caching;
using Dstack.Server.Dispatch;
using Dstack.Server.Errors;
using Dstack.Server.Repos;

namespace Dstack.Server.Runs;

/// <summary>
/// `dstack run` on the server: check the request, parse the workflow files, plan the jobs, key them and take what the
/// cache has, store the rest, wake the runners. The dry run does the same planning and keying and stores nothing.
/// </summary>
public sealed class RunSubmission(
    IRepoStore repos, IRunStore runs, IBlobStore blobs, DispatchSignal dispatch, RunViews views, ParsedWorkflowFiles workflowFiles, TimeProvider time)
{
    /// <summary>The run name a dry run plans with: no run gets it, and no key depends on it.</summary>
    private const string DryRunName = "dry-run-0";

    public RunInfo Submit(Principal user, SubmitRunRequest request)
    {
        var set = Check(user, request);
        foreach (var (what, blob) in new[] { ("tracked changes", request.DiffBlob), ("untracked files", request.UntrackedBlob) })
        {
            if (blob is null) continue;
            if (!BlobHash.IsValid(blob) || !blobs.Exists(blob))
            {
                throw ApiErrorException.BadRequest($"the blob of the {what} ({blob}) is not on the server: upload it (POST /api/blobs) before submitting the run");
            }
        }

        var run = runs.Insert(user.Owner, request, (name, lookup) => Members(Plan(set, request, name), request, lookup), time.GetUtcNow());
        dispatch.Pulse();
        return views.Build(run);
    }

    public RunPlanPreview Preview(Principal user, SubmitRunRequest request)
    {
        var set = Check(user, request);
        var plan = Plan(set, request, DryRunName);
        return runs.ReadCache(user.Owner, lookup =>
            RunPlanPreviews.Build(request.Workflow, CacheResolution.Resolve(plan, request, lookup, blobs), request, lookup));
    }

    private WorkflowSet Check(Principal user, SubmitRunRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.RepoUrl)) throw ApiErrorException.BadRequest("the run request has no repository URL");
        if (string.IsNullOrWhiteSpace(request.Commit)) throw ApiErrorException.BadRequest("the run request has no commit");
        if (string.IsNullOrWhiteSpace(request.Workflow)) throw ApiErrorException.BadRequest("the run request names no workflow");
        if (request.Code is null || string.IsNullOrWhiteSpace(request.Code.Tree))
        {
            throw ApiErrorException.BadRequest("the run request has no code identity (the commit's tree): update the dstack command");
        }
        if (repos.Find(user.Owner, request.RepoUrl) is null)
        {
            throw ApiErrorException.BadRequest($"repository {request.RepoUrl} is not initialised: run `dstack init` in it first");
        }
        try
        {
            return workflowFiles.Parse(request.WorkflowFiles);
        }
        catch (WorkflowFileException e)
        {
            throw ApiErrorException.BadRequest(string.Join(Environment.NewLine, e.Errors.Select(d => d.ToString())));
        }
    }

    private static RunPlan Plan(WorkflowSet set, SubmitRunRequest request, string runName)
    {
        try
        {
            return RunPlanner.Plan(set, request.Workflow, request.Variables, runName, JobIdGenerator.Next);
        }
        catch (PlanningException e)
        {
            throw ApiErrorException.BadRequest(e.Message);
        }
    }

    private List<RunMember> Members(RunPlan plan, SubmitRunRequest request, ICacheLookup lookup) =>
        CacheResolution.Resolve(plan, request, lookup, blobs)
            .Select(resolved => resolved.Taken is { } taken ? RunMember.Taken(taken.JobId) : RunMember.Created(NewJobOf(resolved, request)))
            .ToList();

    private static NewJob NewJobOf(ResolvedJob resolved, SubmitRunRequest request)
    {
        var job = resolved.Job;
        return new NewJob(
            job.JobId,
            job.Workflow,
            resolved.DependsOn,
            job.OverriddenVariables,
            job.Image,
            ResourceNeeds.GpuCount(job.Resources),
            new JobSpec
            {
                RepoUrl = request.RepoUrl,
                Branch = request.Branch,
                Commit = request.Commit,
                DiffBlob = request.DiffBlob,
                UntrackedBlob = request.UntrackedBlob,
                Commands = job.Commands,
                WorkingDir = job.WorkingDir,
                Environment = job.Environment,
                Artifacts = job.Artifacts,
                Image = job.Image,
                CheckpointIntervalSeconds = job.CheckpointIntervalSeconds,
            },
            resolved.Key,
            resolved.Document);
    }
}
