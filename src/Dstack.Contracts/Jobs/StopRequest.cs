namespace Dstack.Contracts.Jobs;

/// <summary>What `dstack stop [-a] [--grace S]` asks of a run or a job.</summary>
public sealed record StopRequest
{
    /// <summary>Abort: SIGKILL at once, no artifact upload (ABORTING -> ABORTED). Otherwise a graceful stop (STOPPING -> STOPPED).</summary>
    public bool Abort { get; init; }
    /// <summary>Seconds between SIGTERM and SIGKILL for a graceful stop; null = the server's default (10 s).</summary>
    public int? GraceSeconds { get; init; }
}
