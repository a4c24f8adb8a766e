using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runs;
using Dstack.Server.Caching;

namespace Dstack.Server.Runs;

public interface IRunStore
{
    /// <summary>
    /// Inserts the run, its new jobs, its members and their dependency edges in one write transaction. The run name is
    /// chosen inside it (unique on the server), then <paramref name="planMembers"/> plans the members for that name with a
    /// cache lookup bound to the same transaction (so two racing submissions never start one key twice); if it throws,
    /// nothing is stored.
    /// </summary>
    RunRow Insert(string owner, SubmitRunRequest request, Func<string, ICacheLookup, IReadOnlyList<RunMember>> planMembers, DateTimeOffset now);

    /// <summary>Runs <paramref name="read"/> with a cache lookup on one read snapshot (the dry run).</summary>
    T ReadCache<T>(string owner, Func<ICacheLookup, T> read);

    RunRow? FindRun(string owner, string runName);

    /// <summary>
    /// The run with only its member jobs that are not DONE, and the distinct statuses of all its members (what its own
    /// status is derived from): how `run -f` asks how a run of hundreds of jobs ended without loading every one.
    /// </summary>
    (RunRow Run, IReadOnlySet<JobStatus> Statuses)? FindRunJobsNotDone(string owner, string runName);

    /// <summary>The run's id and member job ids, without the jobs' details (a log stream of a run of hundreds of jobs).</summary>
    RunMembers? FindRunMembers(string owner, string runName);

    /// <summary>The run that created the job.</summary>
    RunRow? FindRunOfJob(string owner, string jobId);

    /// <summary>
    /// True when no member job of the run is still going (a run that no longer exists counts as finished). One indexed
    /// query: `logs -f` asks it after every burst of log records, so it must not load the run.
    /// </summary>
    bool IsRunFinished(long runId);

    /// <summary>True when the job has finished or no longer exists; cheap, like <see cref="IsRunFinished"/>.</summary>
    bool IsJobFinished(string jobId);

    /// <summary>The repository's runs with at least one member job not finished, oldest first.</summary>
    IReadOnlyList<RunRow> ListUnfinished(string owner, string repoUrl);

    /// <summary>The repository's last <paramref name="count"/> runs whatever their status, oldest first.</summary>
    IReadOnlyList<RunRow> ListLatest(string owner, string repoUrl, int count);
}
