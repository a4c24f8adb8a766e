using Dstack.Contracts.Runner;
using Dstack.Server.Errors;
using Dstack.Server.Jobs;
using Dstack.Server.Repos;
using Dstack.Server.Runners;

namespace Dstack.Server.Dispatch;

/// <summary>
/// The lease long-poll: answer at once with a ready job, else wait on the dispatch signal (pulsed when a run is
/// submitted or a job ends) and look again, until the runner's wait is over. Event driven: no sleep-polling, so a
/// submitted job reaches an idle runner within one database round trip.
/// </summary>
public sealed class JobDispatcher(IJobStore jobs, IRunnerStore runners, IRepoStore repos, RepoCredentials credentials, DispatchSignal signal, TimeProvider time)
{
    /// <summary>The longest a lease call may wait, whatever the runner asks: proxies drop idle requests after a minute or so.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(55);

    public async Task<JobLease?> LeaseAsync(LeaseRequest request, CancellationToken ct)
    {
        var wait = TimeSpan.FromMilliseconds(Math.Max(0, request.WaitMs));
        if (wait > MaxWait) wait = MaxWait;
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            var wake = signal.NextPulse;
            var runner = runners.Find(request.RunnerId)
                ?? throw ApiErrorException.NotFound($"unknown runner {request.RunnerId}: register again (POST /api/runners/register)");
            if (TryLeaseOnce(runner, ct) is { } lease) return lease;
            if (ct.IsCancellationRequested) return null;
            var remaining = deadline - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero) return null;
            try
            {
                await wake.WaitAsync(remaining, time, ct);
            }
            catch (TimeoutException)
            {
                return null;
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// A ready job for the runner now, without waiting: the next job of a slot that has just reported an outcome. Null when
    /// none is ready, the runner is not known (it registers again through its next plain lease call, which says so), or
    /// the request is over (<paramref name="ct"/>: nobody would receive the lease).
    /// </summary>
    public JobLease? TryLeaseNow(string runnerId, CancellationToken ct) =>
        runners.Find(runnerId) is { } runner ? TryLeaseOnce(runner, ct) : null;

    /// <summary>The runner is seen; a ready job is leased to it unless the request is already over.</summary>
    private JobLease? TryLeaseOnce(RunnerRow runner, CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
        {
            runners.Touch(runner.Id, time.GetUtcNow());
            return null;
        }
        return jobs.TryLease(runner, time.GetUtcNow()) is { } grant ? ToLease(grant) : null;
    }

    private JobLease ToLease(LeaseGrant grant)
    {
        var repo = repos.Find(grant.Owner, grant.Spec.RepoUrl);
        return new JobLease
        {
            JobId = grant.JobId,
            RunName = grant.RunName,
            Workflow = grant.Workflow,
            FencingToken = grant.FencingToken,
            Attempt = grant.Attempt,
            Spec = grant.Spec with
            {
                Credential = repo is null ? null : credentials.Open(repo),
                Dependencies = grant.Dependencies,
            },
        };
    }
}
