namespace Dstack.Contracts.Jobs;

/// <summary>One execution of a job. A resumed job has several; each keeps its own logs, exit code or signal, and reason.</summary>
public sealed record JobAttempt
{
    public required int Attempt { get; init; }
    public required JobStatus Status { get; init; }
    public string? Runner { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public int? ExitCode { get; init; }
    public string? Signal { get; init; }
    public string? Reason { get; init; }
}
