namespace Dstack.Core.Workflows;

/// <summary>What a workflow asks of its runner. Values are the text as written (variables allowed); null = no requirement.</summary>
public sealed record WorkflowResources
{
    public string? Cpu { get; init; }
    public string? Memory { get; init; }
    public string? GpuCount { get; init; }
    public string? GpuName { get; init; }
    public string? GpuMemory { get; init; }
    public string? Interruptible { get; init; }
}
