namespace Dstack.Runner.Jobs;

/// <summary>
/// `HOME/slots/N/job.json`: the process group of the job a slot runs, with the start time of its leader,
/// so a runner restarted after a crash kills what its predecessor left running (and nothing else: a
/// recycled pid has another start time).
/// </summary>
public sealed record SlotJobRecord
{
    public required string JobId { get; init; }
    /// <summary>The attempt (0 in records of runners before attempts were recorded: any attempt).</summary>
    public int Attempt { get; init; }
    public required int ProcessGroupId { get; init; }
    /// <summary>Field 22 of /proc/PID/stat: clock ticks since boot when the process started.</summary>
    public required long StartTicks { get; init; }
}
