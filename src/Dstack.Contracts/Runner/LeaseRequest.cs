namespace Dstack.Contracts.Runner;

/// <summary>A long-poll for work: the server answers as soon as a job is ready, or after WaitMs with nothing.</summary>
public sealed record LeaseRequest
{
    public required string RunnerId { get; init; }
    public int WaitMs { get; init; } = 25_000;
}
