using System.Diagnostics;

namespace Dstack.Runner.Jobs;

/// <summary>
/// How long each phase of a job took on the runner (workspace, commands, artifacts, logs, report), for the runner
/// log's line about the job's end: where a job's overhead goes is what to look at first when jobs feel slow.
/// </summary>
public sealed class JobPhaseClock
{
    private readonly Stopwatch _total = Stopwatch.StartNew();
    private readonly List<(string Phase, TimeSpan Took)> _phases = [];
    private TimeSpan _lastMark;

    /// <summary>Ends the phase called <paramref name="phase"/> now (it began at the previous mark, or at the start).</summary>
    public void Mark(string phase)
    {
        var now = _total.Elapsed;
        _phases.Add((phase, now - _lastMark));
        _lastMark = now;
    }

    /// <summary>"in 47 ms (workspace 12 ms, commands 8 ms, ...)".</summary>
    public string Summary()
    {
        var phases = string.Join(", ", _phases.Select(p => $"{p.Phase} {Milliseconds(p.Took)}"));
        return $"in {Milliseconds(_total.Elapsed)}" + (phases.Length == 0 ? "" : $" ({phases})");
    }

    private static string Milliseconds(TimeSpan span) => $"{span.TotalMilliseconds:0.#} ms";
}
