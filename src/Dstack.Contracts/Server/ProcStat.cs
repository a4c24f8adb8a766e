using System.Globalization;

namespace Dstack.Contracts.Server;

/// <summary>
/// What /proc/PID/stat says of a process: its state letter, and when it started (field 22, clock ticks since boot),
/// which with the pid names one process for its whole life, never a later one given the same pid.
/// </summary>
public readonly record struct ProcStat(char State, long StartTicks)
{
    /// <summary>Exited (a zombie not yet reaped, or dead): gone for every purpose here.</summary>
    public bool HasExited => State is 'Z' or 'X';

    /// <summary>
    /// This boot's id (/proc/sys/kernel/random/boot_id), null where it cannot be read: start ticks count from the boot,
    /// so a pid and start ticks name one process only together with the boot they were taken in.
    /// </summary>
    public static string? BootId()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The process's stat, or null when there is no such process (or no /proc).</summary>
    public static ProcStat? Read(int pid)
    {
        if (pid <= 0) return null;
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // "PID (COMM) STATE PPID ...": the name may hold spaces and parentheses, so fields are counted after the last ')'.
        var close = stat.LastIndexOf(')');
        if (close < 0 || close + 2 >= stat.Length) return null;
        var fields = stat[(close + 2)..].Split(' ');
        // Field 3 (the state) is the first after the name; field 22 (the start time) is the twentieth.
        return fields.Length > 19 && fields[0].Length == 1 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            ? new ProcStat(fields[0][0], ticks)
            : null;
    }
}
