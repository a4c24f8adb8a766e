using Dstack.Server.Hosting;

namespace Dstack.Server.Runners;

/// <summary>A runner is live while it has been heard from (register, heartbeat, lease) within the runner timeout.</summary>
public sealed class RunnerLiveness(IRunnerStore runners, ServerOptions options, TimeProvider time)
{
    public IReadOnlyList<RunnerRow> LiveRunners() => runners.HeardSince(time.GetUtcNow() - options.RunnerTimeout);

    /// <summary>How often runners should call in: a third of the timeout, so one lost heartbeat is not fatal.</summary>
    public TimeSpan HeartbeatInterval => options.RunnerTimeout / 3;
}
