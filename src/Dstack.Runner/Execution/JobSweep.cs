namespace Dstack.Runner.Execution;

/// <summary>
/// Finds and kills every process of a job, wherever it went: each job process carries the marker variables
/// (<see cref="JobMarker"/>: DSTACK_JOB_ID=JOBID) in its environment, inherited by all its descendants, so a
/// process that left the job's group or session (`setsid sleep 300 &`, a daemon) is still found through /proc/PID/environ.
/// Killed processes that the runner adopted (it is a child subreaper) are reaped, so no zombie is left.
/// A process that cleared its environment (`env -i`) is out of reach of the sweep, though not of the group kill.
/// </summary>
public static class JobSweep
{
    private static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(2);

    /// <summary>SIGKILLs the job's processes and waits (briefly) until the adopted ones are reaped; returns those it found.</summary>
    /// <param name="leaderPid">The job's bash, a child .NET started: killed but never reaped here (Process reaps it).</param>
    /// <param name="groupId">The job's process group: its zombies adopted by the runner are reaped too (a zombie has no environment left).</param>
    public static async Task<List<ProcessEntry>> KillAsync(JobMarker marker, int leaderPid, int groupId)
    {
        var found = Kill(marker, leaderPid, groupId);
        await ReapAsync(found, leaderPid);
        return found;
    }

    /// <summary>SIGKILLs the job's processes without waiting; returns them, for <see cref="ReapAsync"/>.</summary>
    public static List<ProcessEntry> Kill(JobMarker marker, int leaderPid, int groupId)
    {
        var self = Environment.ProcessId;
        var entries = marker.Entries();
        var found = new List<ProcessEntry>();
        foreach (var entry in ProcessTable.All())
        {
            if (entry.Pid == self) continue;
            var belongs = entry.IsZombie
                ? groupId > 0 && entry.ParentPid == self && entry.Pid != leaderPid && (entry.GroupId == groupId || entry.SessionId == groupId)
                : ProcessTable.HasEnvironmentEntries(entry.Pid, entries);
            if (belongs) found.Add(entry);
        }
        foreach (var entry in found.Where(e => !e.IsZombie)) PosixSignals.Signal(entry.Pid, PosixSignals.SigKill);
        return found;
    }

    /// <summary>
    /// Reaps the killed processes (found by <see cref="Kill"/>) that the runner adopted. A killed process whose parent is another killed process
    /// is adopted once that parent dies, so this waits until each one is gone or has a parent outside the job.
    /// </summary>
    public static async Task ReapAsync(IReadOnlyCollection<ProcessEntry> killed, int leaderPid)
    {
        var self = Environment.ProcessId;
        var pending = killed.Where(e => e.Pid != leaderPid).ToList();
        var killedPids = killed.Select(e => e.Pid).ToHashSet();
        var deadline = DateTime.UtcNow + ReapTimeout;
        while (pending.Count > 0 && DateTime.UtcNow < deadline)
        {
            pending.RemoveAll(original =>
            {
                var now = ProcessTable.Read(original.Pid);
                if (now is null || now.StartTicks != original.StartTicks) return true; // gone (a new process may have its pid)
                if (now.ParentPid == self) return ChildSubreaper.TryReap(now.Pid);
                // Another parent: one outside the job reaps it; a killed one dies and hands it to us.
                return now.IsZombie && !killedPids.Contains(now.ParentPid);
            });
            if (pending.Count > 0) await Task.Delay(10);
        }
    }
}
