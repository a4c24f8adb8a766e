namespace Dstack.Contracts.Runner;

/// <summary>A runner's standing long-poll for orders about the jobs it holds.</summary>
public sealed record RunnerOrdersRequest
{
    public required string RunnerId { get; init; }
    public int WaitMs { get; init; } = 25_000;
}
