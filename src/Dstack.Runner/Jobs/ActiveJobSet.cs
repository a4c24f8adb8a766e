using System.Collections.Concurrent;
using Dstack.Contracts.Runner;

namespace Dstack.Runner.Jobs;

/// <summary>The jobs the runner is executing, as the heartbeat reports them (with their fencing tokens).</summary>
public sealed class ActiveJobSet
{
    private readonly ConcurrentDictionary<string, RunningJob> _jobs = new(StringComparer.Ordinal);

    public void Add(RunningJob job) => _jobs[job.Lease.JobId] = job;

    public void Remove(RunningJob job) => _jobs.TryRemove(new KeyValuePair<string, RunningJob>(job.Lease.JobId, job));

    public IReadOnlyList<ActiveJob> Snapshot() =>
        _jobs.Values.Select(j => new ActiveJob(j.Lease.JobId, j.Lease.FencingToken)).ToList();

    /// <summary>The server no longer gives us this job: kill it.</summary>
    public bool Revoke(string jobId, string reason)
    {
        if (!_jobs.TryGetValue(jobId, out var job)) return false;
        job.Lose(reason);
        return true;
    }
}
