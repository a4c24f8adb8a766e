using Dstack.Cli.Connection;
using Dstack.Cli.Hosting;
using Dstack.Cli.Terminal;

namespace Dstack.Cli.Commands;

/// <summary>`dstack server stop`: stops the embedded server of DSTACK_HOME and cleans up after one that crashed.</summary>
public sealed class ServerStopCommand(CliContext context)
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    public sealed record Settings(string? Home);

    public async Task<int> ExecuteAsync(Settings settings, CancellationToken ct)
    {
        var home = new DstackHome(Path.GetFullPath(settings.Home ?? context.Environment.Home, context.Environment.WorkingDirectory));
        var server = new EmbeddedServer(home);
        var console = context.Console;
        if (server.ReadState() is not { } state)
        {
            console.Out.WriteLine("no server is running");
            return 0;
        }
        if (!ProcessLiveness.IsAlive(state.Pid))
        {
            server.DeleteState();
            console.Out.WriteLine($"no server is running (removed the stale {home.ServerJson} of pid {state.Pid})");
            return 0;
        }
        if (await server.ProbeAsync(state, ct) is null)
        {
            throw new CliException($"the server process {state.Pid} does not answer on {state.Url}: stop it with `kill {state.Pid}`");
        }
        if (!await server.ShutdownAsync(state, StopTimeout, ct))
        {
            throw new CliException($"the server (pid {state.Pid}) is still running {StopTimeout.TotalSeconds:0} s after it was asked to stop: stop it with `kill {state.Pid}`");
        }
        console.Out.WriteLine($"stopped the background dstack server (pid {state.Pid})");
        return 0;
    }
}
