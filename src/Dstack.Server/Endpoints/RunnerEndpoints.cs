using Dstack.Contracts;
using Dstack.Contracts.Runner;
using Dstack.Server.Auth;
using Dstack.Server.Dispatch;
using Dstack.Server.Errors;
using Dstack.Server.Jobs;
using Dstack.Server.Runners;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dstack.Server.Endpoints;

/// <summary>The runner session: register, heartbeat, and the lease long-poll (each runner slot keeps one lease call open).</summary>
public static class RunnerEndpoints
{
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

        app.MapPost(ApiRoutes.RunnerHeartbeat, (HeartbeatRequest request, IRunnerStore runners, IJobStore jobs, TimeProvider time) =>
        {
            if (!runners.Touch(request.RunnerId, time.GetUtcNow()))
            {
                throw ApiErrorException.NotFound($"unknown runner {request.RunnerId}: register again (POST /api/runners/register)");
            }
            return TypedResults.Json(new HeartbeatResponse { Revoked = jobs.Revoked(request.RunnerId, request.Jobs) },
                DstackJsonContext.Default.HeartbeatResponse);
        });

        app.MapPost(ApiRoutes.RunnerLease, async (HttpContext context, LeaseRequest request, JobDispatcher dispatcher) =>
        {
            using var stopping = RequestStopping.Token(context);
            var lease = await dispatcher.LeaseAsync(request, stopping.Token);
            return lease is null ? Results.NoContent() : Results.Json(lease, DstackJsonContext.Default.JobLease);
        });
    }
}
