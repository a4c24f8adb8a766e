using Dstack.Contracts.Jobs;
using Dstack.Server.Dispatch;
using Dstack.Server.Errors;
using Dstack.Server.Hosting;
using Dstack.Server.Logs;
using Dstack.Server.Runs;

namespace Dstack.Server.Jobs;

/// <summary>`dstack stop [-a]` and `dstack resume` on the server: change the jobs, then wake whoever must act on it.</summary>
public sealed class JobControl(
    IJobControlStore store, IRunStore runs, RunViews views, RunnerOrderSignals orders, DispatchSignal dispatch, LogSignal logs,
    ServerOptions options, TimeProvider time)
{
    /// <summary>Stops the given jobs of the run (for a run stop, the jobs it created); the answer lists them as they are now.</summary>
    public StopResult Stop(RunRow run, IReadOnlyList<string> jobIds, StopRequest request)
    {
        if (request.GraceSeconds is < 0)
        {
            throw ApiErrorException.BadRequest($"grace {request.GraceSeconds} s: give 0 or more seconds between SIGTERM and SIGKILL");
        }
        var graceMs = request.GraceSeconds is { } seconds
            ? (int)Math.Min(int.MaxValue, seconds * 1000L)
            : (int)Math.Min(int.MaxValue, options.DefaultStopGrace.TotalMilliseconds);
        var changes = store.Stop(jobIds, request.Abort, graceMs, time.GetUtcNow());
        foreach (var runner in changes.Select(c => c.RunnerId).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            orders.Pulse(runner);
        }
        if (changes.Count > 0)
        {
            // Jobs that ended at once end the log streams that follow them.
            logs.Pulse();
            dispatch.Pulse();
        }
        var now = runs.FindRun(run.Owner, run.Name) ?? run;
        // The jobs asked about, and the waiting jobs the stop ended with them.
        var shown = jobIds.Concat(changes.Select(c => c.JobId)).ToHashSet(StringComparer.Ordinal);
        return new StopResult
        {
            Jobs = views.Build(now).Jobs.Where(j => shown.Contains(j.JobId)).ToList(),
            Changed = changes.Select(c => c.JobId).ToList(),
        };
    }

    public JobInfo Resume(RunRow run, string jobId)
    {
        store.Resume(jobId, time.GetUtcNow());
        dispatch.Pulse();
        logs.Pulse();
        var now = runs.FindRun(run.Owner, run.Name) ?? run;
        return views.Build(now).Jobs.First(j => j.JobId == jobId);
    }
}
