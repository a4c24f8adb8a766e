namespace Dstack.Contracts.Runner;

/// <summary>What a runner can offer; jobs that need more wait for another runner.</summary>
public sealed record RunnerCapabilities
{
    /// <summary>Name of the container engine the runner can use (e.g. "docker"), or null when it has none.</summary>
    public string? ContainerEngine { get; init; }
    public int Gpus { get; init; }
    public int Cpus { get; init; }
    public long MemoryBytes { get; init; }
}
