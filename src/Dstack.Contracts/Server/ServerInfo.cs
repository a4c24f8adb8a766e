namespace Dstack.Contracts.Server;

/// <summary>What GET /api/version answers.</summary>
public sealed record ServerInfo
{
    public required string Version { get; init; }
    /// <summary>Identifies the exact build of the server; a CLI from another build restarts an embedded server.</summary>
    public required string BuildId { get; init; }
    public required int ProtocolVersion { get; init; }
    public required int ProcessId { get; init; }
}
