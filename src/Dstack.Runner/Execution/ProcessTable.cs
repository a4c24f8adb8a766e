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

    /// <summary>
    /// The processes below <paramref name="ancestor"/> (its children, theirs, and so on), found through
    /// /proc/PID/task/TID/children: what a job left is found by reading a few files, not every process on the machine.
    /// Null where the kernel has no such files, or a list was too long to read whole: the caller reads <see cref="All"/>.
    /// </summary>
    public static List<ProcessEntry>? Descendants(int ancestor)
    {
        if (!File.Exists($"/proc/{ancestor}/task/{ancestor}/children")) return null;
        var found = new List<ProcessEntry>();
        var seen = new HashSet<int> { ancestor };
        var pending = new Queue<int>([ancestor]);
        var buffer = new byte[16 * 1024];
        while (pending.TryDequeue(out var pid))
        {
            string[] tasks;
            try
            {
                tasks = Directory.GetDirectories($"/proc/{pid}/task");
            }
            catch (Exception e) when (e is DirectoryNotFoundException or IOException or UnauthorizedAccessException)
            {
                continue; // it ended meanwhile
            }
            // Every thread: an orphan is re-parented to one of the subreaper's threads, and listed under that thread.
            foreach (var task in tasks)
            {
                var length = ProcFile.Read(task + "/children", buffer);
                if (length == buffer.Length) return null;
                foreach (var field in System.Text.Encoding.ASCII.GetString(buffer, 0, Math.Max(length, 0)).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var child) || !seen.Add(child)) continue;
                    pending.Enqueue(child);
                    if (Read(child) is { } entry) found.Add(entry);
                }
            }
        }
        return found;
    }

    /// <summary>The process with this pid, or null when there is none.</summary>
    public static ProcessEntry? Read(int pid)
    {
        Span<byte> stat = stackalloc byte[1024]; // a stat line is a few hundred bytes; the fields read come first
        var length = ProcFile.Read($"/proc/{pid}/stat", stat);
        if (length <= 0) return null;
        stat = stat[..length];
        // The command name (field 2) is in parentheses and may hold spaces and parentheses: count fields after the last ')'.
        var close = stat.LastIndexOf((byte)')');
        if (close < 0 || close + 2 >= stat.Length) return null;
        var rest = stat[(close + 2)..];
        Span<long> numbers = stackalloc long[20]; // fields 4..22
        var state = (char)rest[0];
        var field = 3;
        var position = 1;
        while (field < 22)
        {
            if (position >= rest.Length || rest[position] != (byte)' ') return null;
            position++;
            field++;
            var negative = position < rest.Length && rest[position] == (byte)'-';
            if (negative) position++;
            long value = 0;
            var digits = 0;
            while (position < rest.Length && rest[position] is >= (byte)'0' and <= (byte)'9')
            {
                value = value * 10 + (rest[position++] - '0');
                digits++;
            }
            if (digits == 0) return null;
            numbers[field - 4] = negative ? -value : value;
        }
        return new ProcessEntry(pid, ParentPid: (int)numbers[4 - 4], GroupId: (int)numbers[5 - 4], SessionId: (int)numbers[6 - 4],
            State: state, StartTicks: numbers[22 - 4]);
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
