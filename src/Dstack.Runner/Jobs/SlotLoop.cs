using Dstack.Contracts.Client;
using Dstack.Contracts.Runner;
using Dstack.Runner.Connection;
using Dstack.Runner.Hosting;

namespace Dstack.Runner.Jobs;

/// <summary>
/// One slot: long-polls the server for a job (the server answers the moment one is ready), runs it, and
/// reports its outcome, which brings back the next ready job in the same answer; only when none was ready
/// does the slot long-poll again. A slot runs one job at a time in its own reusable workspace.
/// </summary>
public sealed class SlotLoop(ServerConnection connection, RunnerIdentity identity, JobExecutor executor, TimeSpan leaseWait)
{
    public async Task RunAsync(CancellationToken ct)
    {
        JobLease? next = null;
        // A job that came back with the last outcome is ours even when the runner is stopping: it goes through the
        // executor, which reports it FAILED "runner shut down" at once rather than leave it to the lease timeout.
        while (next is not null || !ct.IsCancellationRequested)
        {
            var runnerId = identity.RunnerId;
            var lease = next;
            if (lease is null)
            {
                try
                {
                    var request = new LeaseRequest { RunnerId = runnerId, WaitMs = (int)leaseWait.TotalMilliseconds };
                    lease = await connection.CallAsync((client, token) => client.LeaseAsync(request, token), ct);
                }
                catch (DstackApiException refusal)
                {
                    await identity.HandleRefusalAsync(refusal, runnerId, ct);
                    continue;
                }
            }
            next = lease is null ? null : await executor.ExecuteAsync(lease, runnerId, ct);
        }
    }
}
