using System.Globalization;

namespace Dstack.Runner.Execution;

/// <summary>What a stop or abort did to a job's processes, for the job's reason.</summary>
public sealed record Termination(TerminationKind Kind, TimeSpan Elapsed, TimeSpan Grace)
{
    /// <summary>"SIGTERM, exited in 1.2 s", "killed with SIGKILL after the 10 s grace", "SIGKILL".</summary>
    public string Describe() => Kind switch
    {
        TerminationKind.Exited => $"SIGTERM, exited in {Seconds(Elapsed)} s",
        TerminationKind.KilledAfterGrace => $"killed with SIGKILL after the {Seconds(Grace)} s grace",
        _ => "SIGKILL",
    };

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture);
}
