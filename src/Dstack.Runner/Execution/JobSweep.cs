namespace Dstack.Runner.Execution;

/// <summary>
/// Finds and kills every process of a job, wherever it went: each job process carries the marker variables
/// (<see cref="JobMarker"/>: DSTACK_JOB_ID=JOBID) in its environment, inherited by all its descendants, so a
/// process that left the job's group or session (`setsid sleep 300 &`, a daemon) is still found through
/// /proc/PID/environ; the members of the job's group and session are the job's whatever their state (a
/// dying process has no environment left). Killed processes that the runner adopted (it is a child
/// subreaper) are reaped, so no zombie is left. A process that cleared its environment (`env -i`) and left
/// the group is out of reach of the sweep.
/// </summary>
public static class JobSweep
{
    private static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(2);

    /// <summary>SIGKILLs the job's processes and waits (briefly) until the adopted ones are reaped; returns those it found.</summary>
    /// <param name="leaderPid">The job's bash, a child .NET started: killed but never reaped here (Process reaps it).</param>
    /// <param name="groupId">The job's process group and session (0: none known, as for leftovers of an earlier runner).</param>
    /// <param name="leaderStartTicks">When the job's bash started (0: unknown); see <see cref="Kill"/>.</param>
    public static async Task<List<ProcessEntry>> KillAsync(JobMarker marker, int leaderPid, int groupId, long leaderStartTicks)
    {
        var found = Kill(marker, leaderPid, groupId, leaderStartTicks);
        await ReapAsync(found, leaderPid, groupId);
        return found;
    }

    /// <summary>
    /// SIGKILLs the job's processes without waiting; returns them, for <see cref="ReapAsync"/>. Only processes that
    /// started no earlier than the job's bash (<paramref name="leaderStartTicks"/>) can carry its marker, so only their
    /// environments are read: a sweep after every job must not read every environment on the machine.
    /// </summary>
    public static List<ProcessEntry> Kill(JobMarker marker, int leaderPid, int groupId, long leaderStartTicks)
    {
        var self = Environment.ProcessId;
        var entries = marker.Entries();
        // While this runner is a subreaper, every process of a job it started is below it: its children and theirs, or
        // adopted by it when their parents died. Only leftovers of an earlier runner (no leader) need the whole table.
        var candidates = leaderPid > 0 && ChildSubreaper.IsSet && ProcessTable.Descendants(self) is { } below ? below : ProcessTable.All();
        var found = candidates
            .Where(e => e.Pid != self && (InJobGroup(e, groupId)
                || (!e.IsZombie && e.StartTicks >= leaderStartTicks && ProcessTable.HasEnvironmentEntries(e.Pid, entries))))
            .ToList();
        foreach (var entry in found.Where(e => !e.IsZombie)) PosixSignals.Signal(entry.Pid, PosixSignals.SigKill);
        return found;
    }

    /// <summary>
    /// Reaps the killed processes (found by <see cref="Kill"/>) that the runner adopted, and the job's group
    /// members adopted since. A killed process whose parent is another killed process is adopted once that
    /// parent dies, so this waits until each one is gone or has a parent outside the job (which reaps it).
    /// Never reaps <paramref name="leaderPid"/>, nor anything outside the job: .NET reaps its own children.
    /// </summary>
    public static async Task ReapAsync(IReadOnlyCollection<ProcessEntry> killed, int leaderPid, int groupId)
    {
        // Nothing was left and the group is empty: nothing can have been adopted since (the usual end of a job).
        if (killed.Count == 0 && (groupId <= 0 || !PosixSignals.GroupExists(groupId))) return;
        var self = Environment.ProcessId;
        var deadline = DateTime.UtcNow + ReapTimeout;
        while (true)
        {
            var table = ProcessTable.All().ToDictionary(e => e.Pid);
            // Still ours to wait for: each killed process that is still the same process, and the group's members.
            var job = killed
                .Where(k => table.TryGetValue(k.Pid, out var now) && now.StartTicks == k.StartTicks)
                .Select(k => table[k.Pid])
                .Concat(table.Values.Where(e => InJobGroup(e, groupId)))
                .Where(e => e.Pid != leaderPid && e.Pid != self)
                .DistinctBy(e => e.Pid)
                .ToList();
            var jobPids = job.Select(e => e.Pid).ToHashSet();
            var waiting = 0;
            foreach (var entry in job)
            {
                if (entry.ParentPid == self)
                {
                    if (!ChildSubreaper.TryReap(entry.Pid)) waiting++; // still dying
                }
                else if (!entry.IsZombie || jobPids.Contains(entry.ParentPid) || entry.ParentPid == leaderPid)
                {
                    waiting++; // dying, or its parent is: it comes to us next
                }
            }
            if (waiting == 0 || DateTime.UtcNow > deadline) return;
            await Task.Delay(10);
        }
    }

    private static bool InJobGroup(ProcessEntry entry, int groupId) =>
        groupId > 0 && (entry.GroupId == groupId || entry.SessionId == groupId);
}
