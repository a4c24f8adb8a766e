namespace Dstack.Contracts.Runner;

/// <summary>
/// A job handed to one runner. Every report about the job must carry the fencing token; the server
/// refuses reports with any other token, so a job never runs on two runners at once.
/// </summary>
public sealed record JobLease
{
    public required string JobId { get; init; }
    public required string RunName { get; init; }
    public required string Workflow { get; init; }
    public required long FencingToken { get; init; }
    public required int Attempt { get; init; }
    public required JobSpec Spec { get; init; }
}
