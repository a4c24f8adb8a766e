using Dstack.Contracts.Client;
using Dstack.Contracts.Runner;
using Dstack.Runner.Connection;
using Dstack.Runner.Hosting;

namespace Dstack.Runner.Jobs;

/// <summary>
/// Tells the server, at the interval it asked for, that the runner lives and which jobs it holds (with
/// their fencing tokens); kills the jobs the answer revokes, and acts on the stop orders it repeats (the
/// way orders still arrive when the orders long-poll is down, or the server predates it).
/// </summary>
public sealed class HeartbeatLoop(ServerConnection connection, RunnerIdentity identity, ActiveJobSet activeJobs, RunnerLog log)
{
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var runnerId = identity.RunnerId;
            try
            {
                var request = new HeartbeatRequest { RunnerId = runnerId, Jobs = activeJobs.Snapshot() };
                var response = await connection.CallAsync((client, token) => client.HeartbeatAsync(request, token), ct);
                foreach (var jobId in response.Revoked)
                {
                    // The revocation is about the lease this heartbeat reported, not one taken since.
                    var reported = request.Jobs.FirstOrDefault(j => j.JobId == jobId);
                    if (reported is not null && activeJobs.Revoke(jobId, reported.FencingToken, "the server revoked its lease"))
                        log.Warn($"job {jobId}: the server revoked its lease");
                }
                activeJobs.ApplyStopOrders(response.Stop, log);
            }
            catch (DstackApiException refusal)
            {
                await identity.HandleRefusalAsync(refusal, runnerId, ct);
                continue;
            }
            await Task.Delay(identity.HeartbeatInterval, ct);
        }
    }
}
