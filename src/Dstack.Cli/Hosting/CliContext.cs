using Dstack.Cli.Connection;
using Dstack.Cli.Terminal;

namespace Dstack.Cli.Hosting;

/// <summary>What every command gets: where to write, what it runs in, and how to reach a server (only when it needs one).</summary>
public sealed class CliContext(CliConsole console, CliEnvironment environment, ServerLaunchCommand launch)
{
    public CliConsole Console { get; } = console;
    public CliEnvironment Environment { get; } = environment;
    public ServerLaunchCommand Launch { get; } = launch;

    public ServerConnector Connector => new(Environment, Console.Error, Launch);
}
