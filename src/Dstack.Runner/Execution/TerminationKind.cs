namespace Dstack.Runner.Execution;

/// <summary>How a job's processes ended after a stop or abort order.</summary>
public enum TerminationKind
{
    /// <summary>The whole group ended within the grace after SIGTERM.</summary>
    Exited,
    /// <summary>Something was still running when the grace ran out: SIGKILL.</summary>
    KilledAfterGrace,
    /// <summary>SIGKILL at once (an abort, possibly during a graceful stop).</summary>
    Aborted,
}
