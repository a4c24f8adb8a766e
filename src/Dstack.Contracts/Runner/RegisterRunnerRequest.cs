namespace Dstack.Contracts.Runner;

public sealed record RegisterRunnerRequest
{
    /// <summary>The runner's id from an earlier registration, so a restarted runner keeps its identity and its jobs.</summary>
    public string? RunnerId { get; init; }
    public required int Slots { get; init; }
    public required RunnerCapabilities Capabilities { get; init; }
    public string? Host { get; init; }
}
