namespace Dstack.Runner.Execution;

/// <summary>When a process started (field 22 of /proc/PID/stat), to tell a process from a later one that got the same pid.</summary>
public static class ProcessStartTime
{
    public static long? Read(int pid) => ProcessTable.Read(pid)?.StartTicks;
}
