namespace Dstack.Contracts.Jobs;

public static class JobStatusExtensions
{
    /// <summary>The text shown in tables and JSON: the status name in upper case.</summary>
    public static string ToDisplay(this JobStatus status) => status.ToString().ToUpperInvariant();

    /// <summary>A finished job never changes again (except through resume, which starts a new attempt).</summary>
    public static bool IsFinished(this JobStatus status) =>
        status is JobStatus.Done or JobStatus.Failed or JobStatus.Stopped or JobStatus.Aborted;
}
