using System.Collections.Concurrent;

namespace Dstack.Server.Dispatch;

/// <summary>The orders channel of every runner, by runner id: a stop pulses only the runner holding the job.</summary>
public sealed class RunnerOrderSignals
{
    private readonly ConcurrentDictionary<string, RunnerOrderChannel> _channels = new(StringComparer.Ordinal);

    public RunnerOrderChannel For(string runnerId) => _channels.GetOrAdd(runnerId, _ => new RunnerOrderChannel());

    public void Pulse(string runnerId) => For(runnerId).Pulse();
}
