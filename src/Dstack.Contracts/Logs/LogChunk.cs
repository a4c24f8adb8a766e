namespace Dstack.Contracts.Logs;

/// <summary>One record of a runner's log spool, as shipped to the server. Offset makes re-sending idempotent.</summary>
public sealed record LogChunk
{
    public required long Offset { get; init; }
    public required LogStream Stream { get; init; }
    public required DateTimeOffset Time { get; init; }
    public required byte[] Data { get; init; }
}
