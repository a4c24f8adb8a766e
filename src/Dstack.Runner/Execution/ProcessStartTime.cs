using System.Globalization;

namespace Dstack.Runner.Execution;

/// <summary>When a process started (field 22 of /proc/PID/stat), to tell a process from a later one that got the same pid.</summary>
public static class ProcessStartTime
{
    public static long? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[22 - 3], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
