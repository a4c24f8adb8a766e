using System.Diagnostics;
using Dstack.Cli.Hosting;
using Dstack.Cli.Terminal;
using Dstack.Contracts;
using Dstack.Contracts.Client;
using Dstack.Contracts.Server;

namespace Dstack.Cli.Connection;

/// <summary>
/// Finds the server a command talks to: DSTACK_SERVER_URL with DSTACK_TOKEN when set, else the embedded server under
/// DSTACK_HOME, started in the background when it is not running (or restarted when it is from an older install).
/// </summary>
public sealed class ServerConnector(CliEnvironment environment, TextWriter error, DaemonExecutable daemon)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    public async Task<DstackClient> ConnectAsync(CancellationToken ct)
    {
        if (environment.Get("DSTACK_SERVER_URL") is { } url)
        {
            var token = environment.Get("DSTACK_TOKEN")
                ?? throw new CliException("DSTACK_SERVER_URL is set but DSTACK_TOKEN is not: set DSTACK_TOKEN to your API token");
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                throw new CliException($"DSTACK_SERVER_URL is '{url}', not a URL: set it like http://host:3000");
            }
            return new DstackClient(uri, token);
        }
        var server = new EmbeddedServer(new DstackHome(environment.Home));
        var state = await EnsureRunningAsync(server, ct);
        return new DstackClient(new Uri(state.Url), server.ReadToken());
    }

    /// <summary>
    /// The embedded server's blob store folder, which this user may read directly (<see cref="Artifacts.BlobSource"/>);
    /// null for a server named by DSTACK_SERVER_URL, whose store is its own business.
    /// </summary>
    public string? LocalBlobStore => environment.Get("DSTACK_SERVER_URL") is null ? new DstackHome(environment.Home).Blobs : null;

    /// <summary>
    /// <see cref="ConnectAsync"/>, then one small request (the server's version) that opens the connection and sets up the
    /// HTTP client, a few milliseconds of a command's start that can run while it waits for something else (git). A
    /// failure of that request is left for the command's own request to report.
    /// </summary>
    public async Task<DstackClient> ConnectWarmAsync(CancellationToken ct)
    {
        var client = await ConnectAsync(ct);
        try
        {
            await client.GetVersionAsync(ct);
        }
        catch (OperationCanceledException)
        {
            client.Dispose();
            throw;
        }
        catch (Exception)
        {
            // reported by the command's own request, with its context
        }
        return client;
    }

    /// <summary>A connection started beside other work that failed: its client is disposed once it arrives.</summary>
    public static void Abandon(Task<DstackClient>? connecting) =>
        _ = connecting?.ContinueWith(c => c.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    private async Task<EmbeddedServerState> EnsureRunningAsync(EmbeddedServer server, CancellationToken ct)
    {
        if (await FindCurrentAsync(server, restartOlderBuild: false, ct) is { } running) return running;

        // 0700: the home holds the user's code (blobs), logs, tokens and workspaces; no other local user reads it.
        Directory.CreateDirectory(server.Home.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var serverLock = await AcquireLockAsync(server.Home, ct);
        // Another command may have started (or upgraded) the server while we waited for the lock.
        if (await FindCurrentAsync(server, restartOlderBuild: true, ct) is { } started) return started;
        server.DeleteState();
        return await StartAsync(server, ct);
    }

    /// <summary>
    /// The running server of this build, or null. With restartOlderBuild (only under server.lock, so two commands
    /// after an upgrade do not both stop it) an older build's server is stopped so a new one can start.
    /// </summary>
    private async Task<EmbeddedServerState?> FindCurrentAsync(EmbeddedServer server, bool restartOlderBuild, CancellationToken ct)
    {
        if (server.ReadState() is not { } state) return null;
        // The process alive under that pid is the very one of this build that wrote server.json (same start, same boot):
        // it listens where the file says, and asking it first would cost every command a round trip.
        if (state.BuildId == BuildInfo.Id && state.ProcessStartTicks > 0 && state.BootId is { } boot && boot == ProcStat.BootId()
            && ProcStat.Read(state.Pid) is { HasExited: false } process && process.StartTicks == state.ProcessStartTicks)
        {
            return state;
        }
        if (await server.ProbeAsync(state, ct) is not { } info) return null;
        if (info.BuildId == BuildInfo.Id) return state;
        if (!restartOlderBuild) return null;

        error.WriteLine("dstack was upgraded: restarting the background server");
        if (!await server.ShutdownAsync(state, StopTimeout, ct))
        {
            throw new CliException($"the old background server (pid {state.Pid}) did not stop within {StopTimeout.TotalSeconds:0} s: stop it with `kill {state.Pid}` and try again");
        }
        return null;
    }

    private async Task<EmbeddedServerState> StartAsync(EmbeddedServer server, CancellationToken ct)
    {
        using var process = daemon.StartEmbeddedServer(server.Home);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (server.ReadState() is { } state && state.Pid == process.Id && await server.ProbeAsync(state, ct) is not null)
            {
                error.WriteLine($"Started a background dstack server (pid {state.Pid}) on {state.Url}; state in {server.Home.Path}");
                return state;
            }
            if (process.HasExited)
            {
                throw new CliException($"the background server exited with code {process.ExitCode} before it was ready; the end of {server.Home.ServerLog}:{Environment.NewLine}{server.LogTail()}");
            }
            await Task.Delay(25, ct);
        }
        throw new CliException($"the background server (pid {process.Id}) did not answer within {StartTimeout.TotalSeconds:0} s; the end of {server.Home.ServerLog}:{Environment.NewLine}{server.LogTail()}");
    }

    /// <summary>server.lock, held exclusively while one command starts the server, so racing commands start only one.</summary>
    private static async Task<FileStream> AcquireLockAsync(DstackHome home, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(home.ServerLock, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (deadline.Elapsed < LockTimeout)
            {
                await Task.Delay(50, ct);
            }
            catch (IOException)
            {
                throw new CliException($"another dstack command has held {home.ServerLock} for {LockTimeout.TotalSeconds:0} s while starting the server; if none is running, delete that file");
            }
        }
    }
}
