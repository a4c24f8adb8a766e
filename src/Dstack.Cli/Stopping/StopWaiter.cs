using Dstack.Cli.Terminal;
using Dstack.Contracts.Jobs;

namespace Dstack.Cli.Stopping;

/// <summary>
/// `dstack stop --wait`: polls the stopped jobs until each has finished, reporting each as it does. Polling is
/// fine here: a person is waiting on a handful of jobs for seconds, and the bound keeps it from going on forever.
/// </summary>
public sealed class StopWaiter(Func<string, CancellationToken, Task<JobInfo?>> findJob, TimeProvider time, TimeSpan interval)
{
    /// <summary>Short enough that the final line shows up about when the job ends, long enough to be no load on the server.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>What the runner may take beyond the grace: the last logs and the artifact upload.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(60);

    /// <summary>The bound of a wait: the grace (the server's default of 10 s when not given; none for an abort) plus the slack.</summary>
    public static TimeSpan Bound(bool abort, int? graceSeconds) => TimeSpan.FromSeconds(abort ? 0 : graceSeconds ?? 10) + Slack;

    /// <summary>Returns the jobs still unfinished when the bound passed, as last seen; empty when all finished.</summary>
    public async Task<IReadOnlyList<JobInfo>> WaitAsync(IReadOnlyList<JobInfo> jobs, TimeSpan bound, Func<JobInfo, Task> onFinished, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + bound;
        var pending = jobs.ToList();
        while (true)
        {
            var still = new List<JobInfo>();
            foreach (var job in pending)
            {
                var now = await findJob(job.JobId, ct)
                    ?? throw new CliException($"job {job.JobId} ({job.Workflow}) is no longer on the server");
                if (now.Status.IsFinished()) await onFinished(now);
                else still.Add(now);
            }
            pending = still;
            if (pending.Count == 0 || time.GetUtcNow() >= deadline) return pending;
            await Task.Delay(interval, time, ct);
        }
    }
}
