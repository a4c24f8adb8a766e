namespace Dstack.Contracts.Runner;

/// <summary>Orders for a runner: the jobs to stop or abort now.</summary>
public sealed record RunnerOrders
{
    public IReadOnlyList<JobStopOrder> Stop { get; init; } = [];
}
