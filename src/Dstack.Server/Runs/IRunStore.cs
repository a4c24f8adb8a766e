using Dstack.Contracts.Runs;

namespace Dstack.Server.Runs;

public interface IRunStore
{
    /// <summary>
    /// Inserts the run, its jobs and their dependency edges in one transaction. The run name is chosen inside it
    /// (unique on the server), then <paramref name="planJobs"/> plans the jobs for that name; if it throws, nothing is stored.
    /// </summary>
    RunRow Insert(string owner, SubmitRunRequest request, Func<string, IReadOnlyList<NewJob>> planJobs, DateTimeOffset now);

    RunRow? FindRun(string owner, string runName);

    RunRow? FindRunOfJob(string owner, string jobId);

    /// <summary>The repository's runs with at least one job not finished, oldest first.</summary>
    IReadOnlyList<RunRow> ListUnfinished(string owner, string repoUrl);

    /// <summary>The repository's last <paramref name="count"/> runs whatever their status, oldest first.</summary>
    IReadOnlyList<RunRow> ListLatest(string owner, string repoUrl, int count);
}
