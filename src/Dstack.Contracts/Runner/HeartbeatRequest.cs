namespace Dstack.Contracts.Runner;

public sealed record HeartbeatRequest
{
    public required string RunnerId { get; init; }
    public IReadOnlyList<ActiveJob> Jobs { get; init; } = [];
}
