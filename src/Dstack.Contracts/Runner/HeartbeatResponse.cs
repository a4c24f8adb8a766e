namespace Dstack.Contracts.Runner;

public sealed record HeartbeatResponse
{
    /// <summary>Jobs the runner holds that the server no longer gives it (lease lost, job ended): kill them.</summary>
    public IReadOnlyList<string> Revoked { get; init; } = [];
    /// <summary>Pending stop orders, repeated here so a runner whose orders long-poll is down still gets them.</summary>
    public IReadOnlyList<JobStopOrder> Stop { get; init; } = [];
}
