using Dstack.Contracts;
using Microsoft.Data.Sqlite;

namespace Dstack.Server.Hosting;

/// <summary>Entry point of a server process; `dstack server` calls it. Returns the process exit code.</summary>
public static class ServerProgram
{
    /// <summary>Runs until SIGTERM/SIGINT, POST /api/server/shutdown or <paramref name="ct"/>, then stops cleanly.</summary>
    public static Task<int> RunAsync(ServerOptions options, CancellationToken ct) =>
        RunAsync(options, Environment.GetEnvironmentVariable, ct);

    /// <summary>As <see cref="RunAsync(ServerOptions, CancellationToken)"/>, with the settings of <see cref="ServerEnvironment"/> read through <paramref name="environment"/>.</summary>
    public static async Task<int> RunAsync(ServerOptions options, Func<string, string?> environment, CancellationToken ct)
    {
        RunningServer server;
        try
        {
            options = ServerEnvironment.Apply(options, environment);
            server = await DstackServer.StartAsync(options, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SqliteException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"dstack server: can't start: {e.Message}");
            return 1;
        }
        await using (server)
        {
            await Console.Out.WriteLineAsync($"dstack server {BuildInfo.Version} listening on {server.Url} (home {Path.GetFullPath(options.Home)})");
            await server.WaitForShutdownAsync(ct);
            await Console.Out.WriteLineAsync("dstack server stopping");
        }
        return 0;
    }
}
