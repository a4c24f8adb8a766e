using Dstack.Runner.Execution;

namespace Dstack.Runner.Jobs;

/// <summary>The reason a STOPPED or ABORTED job reports: what the order did to its processes, and when it came.</summary>
public static class StopReason
{
    public static string BeforeStart(bool aborted) =>
        $"{(aborted ? "aborted" : "stopped")} by the user before its commands started";

    /// <summary>
    /// <paramref name="termination"/> is what the order did to the running commands; null when they had ended
    /// by themselves before the order came (then <paramref name="exit"/> says how: only an abort gets here so).
    /// </summary>
    public static string For(bool aborted, Termination? termination, ExitStatus exit)
    {
        if (termination is null) return $"{(aborted ? "aborted" : "stopped")} by the user after its commands ended ({exit.Describe()})";
        if (!aborted) return $"stopped by the user ({termination.Describe()})";
        return termination.Kind == TerminationKind.Aborted
            ? "aborted by the user (SIGKILL)"
            : $"aborted by the user after a graceful stop ({termination.Describe()})";
    }

    public const string AbortedDuringUpload = "aborted by the user during the artifact upload";
}
