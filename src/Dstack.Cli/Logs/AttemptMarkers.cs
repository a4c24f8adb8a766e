using Dstack.Contracts.Jobs;

namespace Dstack.Cli.Logs;

/// <summary>
/// Decides where a resumed job's log gets a `--- attempt N (resumed) ---` line: before the first record of each
/// attempt, for a job with more than one attempt (known from its JobInfo, or seen in the records while following).
/// A job that ran once gets no marker, so its log reads as before.
/// </summary>
public sealed class AttemptMarkers(IReadOnlyDictionary<string, int> attemptsByJobId)
{
    private readonly Dictionary<string, int> _current = new(StringComparer.Ordinal);

    public static int AttemptsOf(JobInfo job) => Math.Max(job.Attempts.Count, job.Attempt);

    public static string Marker(int attempt) => attempt == 1 ? "--- attempt 1 ---" : $"--- attempt {attempt} (resumed) ---";

    /// <summary>The marker to write before this record, or null when the record continues the attempt already shown.</summary>
    public string? Before(string jobId, int attempt)
    {
        var seen = _current.TryGetValue(jobId, out var current);
        if (seen && current == attempt) return null;
        _current[jobId] = attempt;
        // attempt > 1: a log read from --since (or followed) may begin in a later attempt, which still says which it is.
        var several = seen || attempt > 1 || attemptsByJobId.GetValueOrDefault(jobId) > 1;
        return several ? Marker(attempt) : null;
    }
}
