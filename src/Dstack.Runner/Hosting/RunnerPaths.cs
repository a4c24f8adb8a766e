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

    public string JobSpool(string jobId, int attempt) => Path.Combine(Spool, $"{jobId}-{attempt}.log");

    public void Create()
    {
        Directory.CreateDirectory(Home);
        Directory.CreateDirectory(Mirrors);
        Directory.CreateDirectory(Slots);
        Directory.CreateDirectory(Spool);
        Directory.CreateDirectory(Temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
