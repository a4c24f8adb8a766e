using Dstack.Contracts.Runner;

namespace Dstack.Server.Runners;

public interface IRunnerStore
{
    /// <summary>A runner coming back with a known id keeps its id and name (and so its leased jobs); any other gets a new `animal-N`.</summary>
    RunnerRow Register(string owner, RegisterRunnerRequest request, DateTimeOffset now);

    RunnerRow? Find(string runnerId);

    /// <summary>Records that the runner was heard from; false when the runner is unknown.</summary>
    bool Touch(string runnerId, DateTimeOffset now);

    /// <summary>Runners heard from at or after <paramref name="since"/>.</summary>
    IReadOnlyList<RunnerRow> HeardSince(DateTimeOffset since);

    /// <summary>
    /// After a server restart nobody could reach the server while it was down: every runner counts as seen now, so a
    /// runner that reconnects within the timeout keeps its jobs.
    /// </summary>
    void MarkAllSeen(DateTimeOffset now);
}
