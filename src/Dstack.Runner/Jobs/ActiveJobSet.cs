using System.Collections.Concurrent;
using System.Globalization;
using Dstack.Contracts.Runner;
using Dstack.Runner.Hosting;

namespace Dstack.Runner.Jobs;

/// <summary>The jobs the runner is executing, as the heartbeat reports them (with their fencing tokens); where orders about them land.</summary>
public sealed class ActiveJobSet
{
    private readonly ConcurrentDictionary<string, RunningJob> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string JobId, long Token), bool> _refusedOrders = new();

    public void Add(RunningJob job) => _jobs[job.Lease.JobId] = job;

    public void Remove(RunningJob job) => _jobs.TryRemove(new KeyValuePair<string, RunningJob>(job.Lease.JobId, job));

    public IReadOnlyList<ActiveJob> Snapshot() =>
        _jobs.Values.Select(j => new ActiveJob(j.Lease.JobId, j.Lease.FencingToken)).ToList();

    /// <summary>
    /// The server no longer gives us the lease with this fencing token: kill that job. A revocation answers a heartbeat
    /// that listed an attempt now over; the job's next attempt, leased meanwhile under the same id, is left alone.
    /// </summary>
    public bool Revoke(string jobId, long fencingToken, string reason)
    {
        if (!_jobs.TryGetValue(jobId, out var job) || job.Lease.FencingToken != fencingToken) return false;
        job.Lose(reason);
        return true;
    }

    /// <summary>
    /// Hands stop orders to their jobs. An order for a job this runner does not hold (already reported) is
    /// dropped: the server repeats orders only until the outcome arrives. An order whose fencing token is not
    /// the job's lease is about another attempt, and refused. Returns the orders acted on (news, not repeats).
    /// </summary>
    public int ApplyStopOrders(IEnumerable<JobStopOrder> orders, RunnerLog log)
    {
        var applied = 0;
        foreach (var order in orders)
        {
            if (!_jobs.TryGetValue(order.JobId, out var job)) continue;
            if (job.Lease.FencingToken != order.FencingToken)
            {
                if (_refusedOrders.TryAdd((order.JobId, order.FencingToken), true))
                    log.Warn($"job {order.JobId}: stop order refused: its fencing token {order.FencingToken} is not the lease's {job.Lease.FencingToken}");
                continue;
            }
            if (!job.Stop.Apply(order)) continue;
            applied++;
            log.Info(order.Abort
                ? $"job {order.JobId}: abort order"
                : $"job {order.JobId}: stop order ({(order.GraceMs / 1000.0).ToString("0.##", CultureInfo.InvariantCulture)} s grace)");
        }
        return applied;
    }
}
