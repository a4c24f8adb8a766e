using Dstack.Cli.Hosting;
using Dstack.Cli.Terminal;
using Dstack.Server.Hosting;

namespace Dstack.Daemon;

/// <summary>`dstack server [--host H] [--port P] [--home DIR] [--embedded]`: runs a server in the foreground until Ctrl-C or SIGTERM.</summary>
public sealed class ServerCommand(CliEnvironment environment)
{
    public Task<int> ExecuteAsync(ServerSettings settings, CancellationToken ct)
    {
        var options = new ServerOptions
        {
            Home = Path.GetFullPath(settings.Home ?? environment.Home, environment.WorkingDirectory),
            Host = settings.Host ?? "127.0.0.1",
            Port = settings.Port ?? 0,
            Embedded = settings.Embedded,
        };
        if (options.Port is < 0 or > 65535) throw new CliException($"--port {options.Port}: give a port from 0 (any free one) to 65535");
        return ServerProgram.RunAsync(options, ct);
    }
}
