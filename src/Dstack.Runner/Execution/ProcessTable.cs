using System.Globalization;

namespace Dstack.Runner.Execution;

/// <summary>
/// Reads the process table from /proc: .NET's Process class knows only the processes it started, while a
/// job's clean-up must find every process of the job, whoever its parent is.
/// </summary>
public static class ProcessTable
{
    /// <summary>Every process readable now (a process that ends while being read is left out).</summary>
    public static List<ProcessEntry> All()
    {
        var entries = new List<ProcessEntry>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } entry)
                entries.Add(entry);
        }
        return entries;
    }

    /// <summary>The process with this pid, or null when there is none.</summary>
    public static ProcessEntry? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces and parentheses: count fields after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return new ProcessEntry(
                pid,
                ParentPid: int.Parse(fields[4 - 3], CultureInfo.InvariantCulture),
                GroupId: int.Parse(fields[5 - 3], CultureInfo.InvariantCulture),
                SessionId: int.Parse(fields[6 - 3], CultureInfo.InvariantCulture),
                State: fields[3 - 3][0],
                StartTicks: long.Parse(fields[22 - 3], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>
    /// True when the process's environment holds every one of these NAME=VALUE entries. A process of another
    /// user (unreadable) or a zombie (its environment is gone with its memory) never matches.
    /// </summary>
    public static bool HasEnvironmentEntries(int pid, byte[][] entries)
    {
        byte[] environ;
        try
        {
            environ = File.ReadAllBytes($"/proc/{pid}/environ");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        var found = new bool[entries.Length];
        // Entries are NUL-terminated: match whole entries, not a prefix of a longer value.
        var span = environ.AsSpan();
        while (!span.IsEmpty)
        {
            var end = span.IndexOf((byte)0);
            var current = end < 0 ? span : span[..end];
            for (var i = 0; i < entries.Length; i++) found[i] |= current.SequenceEqual(entries[i]);
            span = end < 0 ? [] : span[(end + 1)..];
        }
        return Array.TrueForAll(found, f => f);
    }
}
