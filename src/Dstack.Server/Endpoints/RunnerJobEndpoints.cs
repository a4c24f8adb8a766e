using Dstack.Contracts;
using Dstack.Contracts.Blobs;
using Dstack.Contracts.Artifacts;
using Dstack.Contracts.Runner;
using Dstack.Server.Blobs;
using Dstack.Server.Dispatch;
using Dstack.Server.Errors;
using Dstack.Server.Jobs;
using Dstack.Server.Logs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dstack.Server.Endpoints;

/// <summary>What a runner reports about a leased job. Every call carries the lease's fencing token; a stale one is refused (409).</summary>
public static class RunnerJobEndpoints
{
    public static void MapRunnerJobEndpoints(this WebApplication app)
    {
        app.MapPost("/api/runner-jobs/{jobId}/progress", (string jobId, JobProgressReport report, IJobStore jobs, LogSignal logs) =>
        {
            jobs.ReportProgress(jobId, report);
            logs.Pulse();
            return Results.NoContent();
        });

        app.MapPost("/api/runner-jobs/{jobId}/logs", (string jobId, LogAppendRequest request, IJobStore jobs, ILogStore store, LogSignal logs) =>
        {
            var lease = jobs.CheckLease(jobId, request.FencingToken);
            if (request.Attempt != lease.Attempt)
            {
                throw ApiErrorException.Conflict($"job {jobId} is at attempt {lease.Attempt}, not {request.Attempt}: these logs belong to an attempt that is over");
            }
            var acked = store.Append(lease, request.Attempt, request.Chunks);
            logs.Pulse();
            return TypedResults.Json(new LogAppendResponse(acked), DstackJsonContext.Default.LogAppendResponse);
        });

        app.MapPost("/api/runner-jobs/{jobId}/artifacts", (string jobId, ArtifactManifest manifest, IJobStore jobs, IBlobStore blobs) =>
        {
            CheckManifest(manifest, blobs);
            jobs.SaveArtifacts(jobId, manifest);
            return Results.NoContent();
        });

        app.MapPost("/api/runner-jobs/{jobId}/outcome", (HttpContext context, string jobId, JobOutcome outcome, IJobStore jobs, IBlobStore blobs,
            TimeProvider time, JobDispatcher dispatcher, DispatchSignal dispatch, LogSignal logs) =>
        {
            if (outcome.Artifacts is { } manifest) CheckManifest(manifest, blobs);
            var recorded = jobs.ReportOutcome(jobId, outcome, time.GetUtcNow());
            // A finished job may unblock its dependents (or fail them): other slots waiting for work look now.
            dispatch.Pulse();
            // The slot is free: its next job goes back in this answer rather than through a lease call of its own. Only with
            // the outcome's first recording: one sent again (its answer was lost) would take a second job while the first,
            // handed out in the lost answer, waits for a runner that never heard of it. Nor for a runner that gave up.
            JobLease? next;
            try
            {
                next = recorded && outcome.NextLeaseFor is { } runnerId ? dispatcher.TryLeaseNow(runnerId, context.RequestAborted) : null;
            }
            finally
            {
                // The log streams that follow the job (its end ends them) are woken after the lease: their reads would
                // otherwise compete with it for the CPU while the slot waits for this answer. Woken even if it failed.
                logs.Pulse();
            }
            return next is null ? Results.NoContent() : Results.Json(next, DstackJsonContext.Default.JobLease);
        });
    }

    /// <summary>Every file of a manifest has a safe relative path and stored content, or the manifest is refused (400).</summary>
    private static void CheckManifest(ArtifactManifest manifest, IBlobStore blobs)
    {
        foreach (var file in manifest.Files)
        {
            if (!IsSafeRelativePath(file.Path))
            {
                throw ApiErrorException.BadRequest($"artifact file path '{file.Path}' must be relative, with '/' separators and no '..'");
            }
            if (!BlobHash.IsValid(file.Sha256) || !blobs.Exists(file.Sha256))
            {
                throw ApiErrorException.BadRequest($"the content of artifact file {file.Path} ({file.Sha256}) is not stored: upload its blob first");
            }
        }
    }

    private static bool IsSafeRelativePath(string path) =>
        path.Length > 0
        && !path.StartsWith('/')
        && !path.Contains('\\')
        && !path.Contains('\0')
        && path.Split('/').All(part => part is not ("" or "." or ".."));
}
