using Dstack.Cli.Hosting;
using Dstack.Server.Hosting;

namespace Dstack.Cli.Commands;

/// <summary>`dstack server [--host H] [--port P] [--home DIR] [--embedded]`: runs a server in the foreground until Ctrl-C or SIGTERM.</summary>
public sealed class ServerCommand(CliContext context)
{
    public sealed record Settings(string? Host, int? Port, string? Home, bool Embedded);

    public Task<int> ExecuteAsync(Settings settings, CancellationToken ct)
    {
        var options = new ServerOptions
        {
            Home = Path.GetFullPath(settings.Home ?? context.Environment.Home, context.Environment.WorkingDirectory),
            Host = settings.Host ?? "127.0.0.1",
            Port = settings.Port ?? 0,
            Embedded = settings.Embedded,
        };
        if (options.Port is < 0 or > 65535) throw new Terminal.CliException($"--port {options.Port}: give a port from 0 (any free one) to 65535");
        return ServerProgram.RunAsync(options, ct);
    }
}
