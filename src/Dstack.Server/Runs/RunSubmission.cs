using Dstack.Contracts.Runner;
using Dstack.Contracts.Runs;
using Dstack.Core.Naming;
using Dstack.Core.Planning;
using Dstack.Core.Workflows;
using Dstack.Server.Auth;
using Dstack.Server.Blobs;
using Dstack.Server.Dispatch;
using Dstack.Server.Errors;
using Dstack.Server.Repos;

namespace Dstack.Server.Runs;

/// <summary>`dstack run` on the server: check the request, parse the workflow files, plan the jobs, store them, wake the runners.</summary>
public sealed class RunSubmission(IRepoStore repos, IRunStore runs, IBlobStore blobs, DispatchSignal dispatch, RunViews views, TimeProvider time)
{
    public RunInfo Submit(Principal user, SubmitRunRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.RepoUrl)) throw ApiErrorException.BadRequest("the run request has no repository URL");
        if (string.IsNullOrWhiteSpace(request.Commit)) throw ApiErrorException.BadRequest("the run request has no commit");
        if (string.IsNullOrWhiteSpace(request.Workflow)) throw ApiErrorException.BadRequest("the run request names no workflow");
        if (repos.Find(user.Owner, request.RepoUrl) is null)
        {
            throw ApiErrorException.BadRequest($"repository {request.RepoUrl} is not initialised: run `dstack init` in it first");
        }
        foreach (var (what, blob) in new[] { ("tracked changes", request.DiffBlob), ("untracked files", request.UntrackedBlob) })
        {
            if (blob is null) continue;
            if (!BlobHash.IsValid(blob) || !blobs.Exists(blob))
            {
                throw ApiErrorException.BadRequest($"the blob of the {what} ({blob}) is not on the server: upload it (POST /api/blobs) before submitting the run");
            }
        }

        WorkflowSet set;
        try
        {
            set = WorkflowSetParser.Parse(request.WorkflowFiles);
        }
        catch (WorkflowFileException e)
        {
            throw ApiErrorException.BadRequest(string.Join(Environment.NewLine, e.Errors.Select(d => d.ToString())));
        }

        var run = runs.Insert(user.Owner, request, name => PlanJobs(set, request, name), time.GetUtcNow());
        dispatch.Pulse();
        return views.Build(run);
    }

    private static List<NewJob> PlanJobs(WorkflowSet set, SubmitRunRequest request, string runName)
    {
        RunPlan plan;
        try
        {
            plan = RunPlanner.Plan(set, request.Workflow, request.Variables, runName, JobIdGenerator.Next);
        }
        catch (PlanningException e)
        {
            throw ApiErrorException.BadRequest(e.Message);
        }
        foreach (var job in plan.Jobs)
        {
            // Tags come with `dstack tag`; until then no run can carry one, so a tagged dependency can never be met.
            if (job.TagDependencies.Count > 0 && job.TagDependencies[0] is var tagged)
            {
                throw ApiErrorException.BadRequest(
                    $"workflow {job.Workflow} depends on {tagged.Workflow}:{tagged.Tag} but no run of this repository is tagged {tagged.Tag}");
            }
        }
        return plan.Jobs.Select(job => new NewJob(
            job.JobId,
            job.Workflow,
            job.DependsOnJobIds,
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
            })).ToList();
    }
}
