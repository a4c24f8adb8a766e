using System.Text.Json;
using Dstack.Runner.Execution;
using Dstack.Runner.Hosting;

namespace Dstack.Runner.Jobs;

/// <summary>
/// Reads and writes a slot's <see cref="SlotJobRecord"/>. Rewritten in place (no new file per job:
/// creating files is the slow part on these disks); empty when the slot runs nothing.
/// </summary>
public static class SlotJobFile
{
    public static string PathIn(string slotFolder) => Path.Combine(slotFolder, "job.json");

    public static void Save(string slotFolder, SlotJobRecord record) =>
        File.WriteAllBytes(PathIn(slotFolder), JsonSerializer.SerializeToUtf8Bytes(record, RunnerJsonContext.Default.SlotJobRecord));

    public static void Clear(string slotFolder)
    {
        var path = PathIn(slotFolder);
        if (File.Exists(path)) File.WriteAllBytes(path, []);
    }

    public static SlotJobRecord? Load(string slotFolder)
    {
        try
        {
            var bytes = File.ReadAllBytes(PathIn(slotFolder));
            return bytes.Length == 0 ? null : JsonSerializer.Deserialize(bytes, RunnerJsonContext.Default.SlotJobRecord);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Kills the process groups that a crashed runner left behind in its slots; returns the job ids killed.</summary>
    public static List<string> KillLeftovers(string slotsFolder, RunnerLog log)
    {
        var killed = new List<string>();
        if (!Directory.Exists(slotsFolder)) return killed;
        foreach (var slotFolder in Directory.EnumerateDirectories(slotsFolder))
        {
            if (Load(slotFolder) is not { } record) continue;
            if (ProcessStartTime.Read(record.ProcessGroupId) == record.StartTicks
                && PosixSignals.SignalGroup(record.ProcessGroupId, PosixSignals.SigKill))
            {
                log.Warn($"killed process group {record.ProcessGroupId} of job {record.JobId}, left running by an earlier runner");
                killed.Add(record.JobId);
            }
            // The processes that left the group carry the job's marker: gone too (they are not our children: nothing to reap).
            var strays = JobSweep.Kill(new JobMarker(record.JobId, record.Attempt), 0, 0).Count(p => !p.IsZombie);
            if (strays > 0) log.Warn($"killed {strays} process(es) of job {record.JobId} outside its group, left running by an earlier runner");
            Clear(slotFolder);
        }
        return killed;
    }
}
