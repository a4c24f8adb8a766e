using Dstack.Contracts;
using Dstack.Contracts.Jobs;
using Dstack.Server.Auth;
using Dstack.Server.Errors;
using Dstack.Server.Jobs;
using Dstack.Server.Logs;
using Dstack.Server.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dstack.Server.Endpoints;

/// <summary>Jobs as users see them: one job, its logs, its artifacts; stop, abort and resume.</summary>
public static class JobEndpoints
{
    public static void MapJobEndpoints(this WebApplication app)
    {
        app.MapGet("/api/jobs/{jobId}", (HttpContext context, string jobId, IRunStore runs, RunViews views) =>
        {
            var run = FindRunOf(context, jobId, runs);
            return TypedResults.Json(views.Build(run).Jobs.First(j => j.JobId == jobId), DstackJsonContext.Default.JobInfo);
        });

        app.MapGet("/api/jobs/{jobId}/logs", async (HttpContext context, string jobId, string? since, bool? follow, IRunStore runs, LogStreamer streamer) =>
        {
            FindRunOf(context, jobId, runs);
            var from = QueryValues.Since(since);
            using var stopping = RequestStopping.Token(context);
            await streamer.StreamAsync(context.Response, LogScope.OfJob(jobId), from, follow == true,
                () => runs.IsJobFinished(jobId), stopping.Token);
        });

        app.MapPost("/api/jobs/{jobId}/stop", (HttpContext context, string jobId, StopRequest request, IRunStore runs, JobControl control) =>
            TypedResults.Json(control.Stop(FindRunOf(context, jobId, runs), [jobId], request), DstackJsonContext.Default.StopResult));

        app.MapPost("/api/jobs/{jobId}/resume", (HttpContext context, string jobId, IRunStore runs, JobControl control) =>
            TypedResults.Json(control.Resume(FindRunOf(context, jobId, runs), jobId), DstackJsonContext.Default.JobInfo));

        app.MapGet("/api/jobs/{jobId}/artifacts", (HttpContext context, string jobId, IRunStore runs, IJobStore jobs) =>
        {
            FindRunOf(context, jobId, runs);
            var artifacts = jobs.GetArtifacts(jobId) ?? throw UnknownJob(jobId);
            return TypedResults.Json(artifacts, DstackJsonContext.Default.JobArtifacts);
        });
    }

    private static RunRow FindRunOf(HttpContext context, string jobId, IRunStore runs) =>
        runs.FindRunOfJob(context.Principal().Owner, jobId) ?? throw UnknownJob(jobId);

    private static ApiErrorException UnknownJob(string jobId) =>
        ApiErrorException.NotFound($"no job with id {jobId}: `dstack status` shows the job ids of this repository's runs");
}
