using Dstack.Contracts;
using Dstack.Contracts.Runner;
using Dstack.Server.Auth;
using Dstack.Server.Dispatch;
using Dstack.Server.Errors;
using Dstack.Server.Hosting;
using Dstack.Server.Jobs;
using Dstack.Server.Logs;
using Dstack.Server.Runners;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dstack.Server.Endpoints;

/// <summary>
/// The runner session: register, heartbeat, the lease long-poll (each runner slot keeps one lease call open) and the
/// orders long-poll (one per runner).
/// </summary>
public static class RunnerEndpoints
{
    public const string OrphanedJobReason = "runner lost: the runner does not have the job any more (it restarted, or its lease was lost)";

    public static void MapRunnerEndpoints(this WebApplication app)
    {
        app.MapPost(ApiRoutes.RunnerRegister, (HttpContext context, RegisterRunnerRequest request, IRunnerStore runners, RunnerLiveness liveness, TimeProvider time) =>
        {
            if (request.Slots < 1) throw ApiErrorException.BadRequest($"a runner needs at least one slot, not {request.Slots}");
            var runner = runners.Register(context.Principal().Owner, request, time.GetUtcNow());
            return TypedResults.Json(new RunnerRegistration
            {
                RunnerId = runner.Id,
                Name = runner.Name,
                HeartbeatIntervalMs = (int)liveness.HeartbeatInterval.TotalMilliseconds,
            }, DstackJsonContext.Default.RunnerRegistration);
        });

        app.MapPost(ApiRoutes.RunnerHeartbeat, (HeartbeatRequest request, IRunnerStore runners, IJobStore jobs, ServerOptions options,
            TimeProvider time, DispatchSignal dispatch, LogSignal logs) =>
        {
            var now = time.GetUtcNow();
            if (!runners.Touch(request.RunnerId, now))
            {
                throw ApiErrorException.NotFound($"unknown runner {request.RunnerId}: register again (POST /api/runners/register)");
            }
            // A job leased more than a runner timeout ago that the runner does not list never reached it: fail it rather
            // than leave it RUNNING for ever. The grace covers a heartbeat written just before the lease answer arrived.
            var held = request.Jobs.Select(j => j.JobId).ToHashSet(StringComparer.Ordinal);
            if (jobs.FailJobsNotHeld(request.RunnerId, held, now - options.RunnerTimeout, now, OrphanedJobReason) > 0)
            {
                dispatch.Pulse();
                logs.Pulse();
            }
            return TypedResults.Json(new HeartbeatResponse
            {
                Revoked = jobs.Revoked(request.RunnerId, request.Jobs),
                Stop = jobs.StopOrders(request.RunnerId),
            }, DstackJsonContext.Default.HeartbeatResponse);
        });

        app.MapPost(ApiRoutes.RunnerLease, async (HttpContext context, LeaseRequest request, JobDispatcher dispatcher) =>
        {
            using var stopping = RequestStopping.Token(context);
            var lease = await dispatcher.LeaseAsync(request, stopping.Token);
            return lease is null ? Results.NoContent() : Results.Json(lease, DstackJsonContext.Default.JobLease);
        });

        app.MapPost(ApiRoutes.RunnerOrders, async (HttpContext context, RunnerOrdersRequest request, OrderDispatcher dispatcher) =>
        {
            using var stopping = RequestStopping.Token(context);
            return TypedResults.Json(await dispatcher.WaitAsync(request, stopping.Token), DstackJsonContext.Default.RunnerOrders);
        });
    }
}
