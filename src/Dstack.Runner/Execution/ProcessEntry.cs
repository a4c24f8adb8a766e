namespace Dstack.Runner.Execution;

/// <summary>One line of the process table, as /proc/PID/stat gives it.</summary>
/// <param name="State">The state letter: R, S, D, Z (zombie: exited, not reaped yet), T...</param>
/// <param name="StartTicks">Clock ticks since boot when it started: tells a process from a later one that got the same pid.</param>
public sealed record ProcessEntry(int Pid, int ParentPid, int GroupId, int SessionId, char State, long StartTicks)
{
    public bool IsZombie => State is 'Z' or 'X';
}
