namespace Dstack.Runner.Hosting;

/// <summary>`runner.json` in the runner's home: the identity the server gave it, kept across restarts.</summary>
public sealed record RunnerState
{
    public required string RunnerId { get; init; }
    public required int Pid { get; init; }
}
