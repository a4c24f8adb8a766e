namespace Dstack.Contracts.Runner;

public sealed record HeartbeatResponse
{
    /// <summary>Jobs the runner holds that the server no longer gives it (lease lost, job ended): kill them.</summary>
    public IReadOnlyList<string> Revoked { get; init; } = [];
}
