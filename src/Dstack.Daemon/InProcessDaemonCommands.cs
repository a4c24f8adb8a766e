using Dstack.Cli.Hosting;

namespace Dstack.Daemon;

/// <summary>`server` and `runner` run in this process: how dstackd runs them, and how tests do.</summary>
public sealed class InProcessDaemonCommands(CliEnvironment environment) : IDaemonCommands
{
    public Task<int> RunServerAsync(ServerSettings settings, IReadOnlyList<string> arguments, CancellationToken ct) =>
        new ServerCommand(environment).ExecuteAsync(settings, ct);

    public Task<int> RunRunnerAsync(RunnerSettings settings, IReadOnlyList<string> arguments, CancellationToken ct) =>
        new RunnerCommand(environment).ExecuteAsync(settings, ct);
}
