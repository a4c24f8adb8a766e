namespace Dstack.Contracts.Runner;

public sealed record RunnerRegistration
{
    public required string RunnerId { get; init; }
    /// <summary>Display name, `animal-N` (e.g. cricket-1).</summary>
    public required string Name { get; init; }
    public required int HeartbeatIntervalMs { get; init; }
}
