using Dstack.Cli.Connection;
using Dstack.Cli.Terminal;

namespace Dstack.Cli.Hosting;

/// <summary>
/// What every command gets: where to write, what it runs in, how to reach a server (only when it needs one), and
/// where `dstack server` and `dstack runner` run.
/// </summary>
public sealed class CliContext(CliConsole console, CliEnvironment environment, DaemonExecutable daemon, IDaemonCommands daemonCommands)
{
    public CliConsole Console { get; } = console;
    public CliEnvironment Environment { get; } = environment;
    public DaemonExecutable Daemon { get; } = daemon;
    public IDaemonCommands DaemonCommands { get; } = daemonCommands;

    public ServerConnector Connector => new(Environment, Console.Error, Daemon);
}
