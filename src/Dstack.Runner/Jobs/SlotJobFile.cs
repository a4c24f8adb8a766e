using System.Text.Json;
using Dstack.Runner.Execution;
using Dstack.Runner.Files;
using Dstack.Runner.Hosting;

namespace Dstack.Runner.Jobs;

/// <summary>
/// Reads and writes a slot's <see cref="SlotJobRecord"/>. Rewritten in place (no new file per job: creating files
/// is the slow part on these disks; nor truncated to zero before it is written: see <see cref="InPlaceFile"/>); empty
/// when the slot runs nothing.
/// </summary>
public static class SlotJobFile
{
    public static string PathIn(string slotFolder) => Path.Combine(slotFolder, "job.json");

    public static void Save(string slotFolder, SlotJobRecord record) =>
        InPlaceFile.Write(PathIn(slotFolder), JsonSerializer.SerializeToUtf8Bytes(record, RunnerJsonContext.Default.SlotJobRecord));

    public static void Clear(string slotFolder)
    {
        var path = PathIn(slotFolder);
        if (File.Exists(path)) InPlaceFile.Write(path, []);
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

    /// <summary>
    /// Kills what a crashed runner left running in its slots (each job's process group, and its processes that
    /// left the group) and returns the records of the jobs it was running, to be reported lost.
    /// </summary>
    public static List<SlotJobRecord> KillLeftovers(string slotsFolder, RunnerLog log)
    {
        var leftovers = new List<SlotJobRecord>();
        if (!Directory.Exists(slotsFolder)) return leftovers;
        foreach (var slotFolder in Directory.EnumerateDirectories(slotsFolder))
        {
            if (Load(slotFolder) is not { } record) continue;
            leftovers.Add(record);
            // A recycled pid has another start time: that group is not the job's.
            if (ProcessStartTime.Read(record.ProcessGroupId) == record.StartTicks
                && PosixSignals.SignalGroup(record.ProcessGroupId, PosixSignals.SigKill))
            {
                log.Warn($"killed process group {record.ProcessGroupId} of job {record.JobId}, left running by an earlier runner");
            }
            // The processes that left the group carry the job's marker: gone too (they are not our children: nothing to reap).
            var strays = JobSweep.Kill(new JobMarker(record.JobId, record.Attempt), 0, 0, record.StartTicks).Count(p => !p.IsZombie);
            if (strays > 0) log.Warn($"killed {strays} process(es) of job {record.JobId} outside its group, left running by an earlier runner");
            Clear(slotFolder);
        }
        return leftovers;
    }
}
