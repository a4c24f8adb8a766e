using Dstack.Contracts;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runs;
using Dstack.Server.Auth;
using Dstack.Server.Errors;
using Dstack.Server.Jobs;
using Dstack.Server.Logs;
using Dstack.Server.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dstack.Server.Endpoints;

/// <summary>Runs: submit (or preview: the dry run), list a repository's runs, show one, stream its logs, stop its unfinished jobs.</summary>
public static class RunEndpoints
{
    public static void MapRunEndpoints(this WebApplication app)
    {
        app.MapPost(ApiRoutes.Runs, (HttpContext context, SubmitRunRequest request, RunSubmission submission) =>
            TypedResults.Json(submission.Submit(context.Principal(), request), DstackJsonContext.Default.RunInfo));

        // A literal segment: ASP.NET routing prefers it to the {runName} routes, and no run route takes POST at that depth.
        app.MapPost(ApiRoutes.RunPlan, (HttpContext context, SubmitRunRequest request, RunSubmission submission) =>
            TypedResults.Json(submission.Preview(context.Principal(), request), DstackJsonContext.Default.RunPlanPreview));

        app.MapGet(ApiRoutes.Runs, (HttpContext context, string? repo, int? last, IRunStore runs, RunViews views) =>
        {
            if (string.IsNullOrWhiteSpace(repo)) throw ApiErrorException.BadRequest("query parameter `repo` (the repository URL) is required");
            if (last is <= 0) throw ApiErrorException.BadRequest($"last={last} must be a positive number of runs");
            var owner = context.Principal().Owner;
            IReadOnlyList<RunRow> rows;
            if (last is { } count)
            {
                rows = runs.ListLatest(owner, repo, count);
            }
            else
            {
                // The seed's `dstack status`: the runs still going, or when none, the last one that finished.
                rows = runs.ListUnfinished(owner, repo);
                if (rows.Count == 0) rows = runs.ListLatest(owner, repo, 1);
            }
            return TypedResults.Json(views.Build(rows).ToList(), DstackJsonContext.Default.ListRunInfo);
        });

        app.MapGet("/api/runs/{runName}", (HttpContext context, string runName, string? jobs, IRunStore runs, RunViews views) =>
        {
            if (jobs is not (null or ApiRoutes.JobsNotDone))
            {
                throw ApiErrorException.BadRequest($"jobs={jobs}: the only filter of a run's jobs is jobs={ApiRoutes.JobsNotDone}");
            }
            if (jobs is null) return TypedResults.Json(views.Build(Find(context, runName, runs)), DstackJsonContext.Default.RunInfo);
            // `run -f` asks how the run ended: its status (derived from every job) and the jobs that did not end DONE, not the
            // details of the hundreds that did (nor are those read).
            var (row, statuses) = runs.FindRunJobsNotDone(context.Principal().Owner, runName) ?? throw NoSuchRun(runName);
            return TypedResults.Json(views.Build(row, statuses), DstackJsonContext.Default.RunInfo);
        });

        app.MapPost("/api/runs/{runName}/stop", (HttpContext context, string runName, StopRequest request, IRunStore runs, JobControl control) =>
        {
            var run = Find(context, runName, runs);
            // A job the run took from another run (reused or awaited) belongs to that run: only that run's stop stops it.
            var own = run.Jobs.Where(j => !j.Reused).Select(j => j.Id).ToList();
            return TypedResults.Json(control.Stop(run, own, request), DstackJsonContext.Default.StopResult);
        });

        app.MapGet("/api/runs/{runName}/logs", async (HttpContext context, string runName, string? since, bool? follow, IRunStore runs, LogStreamer streamer) =>
        {
            // Its member ids, not the details of each job: a run of hundreds of jobs is followed by every `run -f`.
            var run = runs.FindRunMembers(context.Principal().Owner, runName) ?? throw NoSuchRun(runName);
            var from = QueryValues.Since(since);
            using var stopping = RequestStopping.Token(context);
            await streamer.StreamAsync(context.Response, LogScope.OfRun(run), from, follow == true,
                () => runs.IsRunFinished(run.RunId), stopping.Token);
        });
    }

    private static RunRow Find(HttpContext context, string runName, IRunStore runs) =>
        runs.FindRun(context.Principal().Owner, runName) ?? throw NoSuchRun(runName);

    private static ApiErrorException NoSuchRun(string runName) =>
        ApiErrorException.NotFound($"no run named {runName}: `dstack status` lists the runs of this repository");
}
