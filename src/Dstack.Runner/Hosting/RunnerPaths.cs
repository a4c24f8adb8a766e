namespace Dstack.Runner.Hosting;

/// <summary>The layout of a runner's home folder.</summary>
public sealed record RunnerPaths(string Home)
{
    public string Mirrors => Path.Combine(Home, "mirrors");
    public string Slots => Path.Combine(Home, "slots");
    public string Spool => Path.Combine(Home, "spool");
    /// <summary>Short-lived secrets (SSH keys) and downloads: readable by the runner's user only.</summary>
    public string Temp => Path.Combine(Home, "tmp");

    public string Slot(int slot) => Path.Combine(Slots, slot.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// The log spool of the job running in a slot: one file per slot, emptied between jobs rather than created and
    /// deleted for each (creating an inode is the slow part of a short job on these disks).
    /// </summary>
    public string SlotSpool(int slot) => Path.Combine(Spool, $"slot-{slot.ToString(System.Globalization.CultureInfo.InvariantCulture)}.log");

    public void Create()
    {
        Directory.CreateDirectory(Home);
        Directory.CreateDirectory(Mirrors);
        Directory.CreateDirectory(Slots);
        Directory.CreateDirectory(Spool);
        Directory.CreateDirectory(Temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
