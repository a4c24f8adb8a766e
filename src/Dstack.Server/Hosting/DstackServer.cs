using System.Globalization;
using System.Net;
using Dstack.Contracts;
using Dstack.Contracts.Server;
using Dstack.Server.Auth;
using Dstack.Server.Blobs;
using Dstack.Server.Dispatch;
using Dstack.Server.Endpoints;
using Dstack.Server.Errors;
using Dstack.Server.Jobs;
using Dstack.Server.Logs;
using Dstack.Server.Pruning;
using Dstack.Server.Repos;
using Dstack.Server.Runners;
using Dstack.Server.Runs;
using Dstack.Server.Secrets;
using Dstack.Server.Storage;
using Dstack.Server.Tags;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dstack.Server.Hosting;

/// <summary>
/// Starts a server: `dstack server`, the CLI's embedded server and the tests all come through here.
/// The engines (stores, dispatcher, reaper) know nothing of hosting; this wires them to ASP.NET Core.
/// </summary>
public static class DstackServer
{
    public static Task<RunningServer> StartAsync(ServerOptions options, CancellationToken ct = default) =>
        StartAsync(options, TimeProvider.System, ct);

    /// <summary>Starts a server whose clock is <paramref name="time"/> (tests pass a fake one).</summary>
    public static async Task<RunningServer> StartAsync(ServerOptions options, TimeProvider time, CancellationToken ct = default)
    {
        var address = ResolveHost(options.Host);
        var files = new ServerFiles(Path.GetFullPath(options.Home));
        // 0700: the home holds the user's code (blobs), logs, tokens and workspaces; no other local user reads it.
        Directory.CreateDirectory(files.Home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var homeLock = HomeLock.Acquire(files);
        try
        {
            return await StartLockedAsync(options, time, address, files, homeLock, ct);
        }
        catch
        {
            homeLock.Dispose();
            throw;
        }
    }

    private static async Task<RunningServer> StartLockedAsync(ServerOptions options, TimeProvider time, IPAddress address, ServerFiles files, HomeLock homeLock, CancellationToken ct)
    {
        var db = new SqliteDatabase(files.Database);
        try
        {
            return await StartWithDatabaseAsync(options, time, address, files, homeLock, db, ct);
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    private static async Task<RunningServer> StartWithDatabaseAsync(
        ServerOptions options, TimeProvider time, IPAddress address, ServerFiles files, HomeLock homeLock, SqliteDatabase db, CancellationToken ct)
    {
        db.Initialize();
        var userToken = TokenFiles.ReadOrCreate(files.UserToken);
        var runnerToken = TokenFiles.ReadOrCreate(files.RunnerToken);
        var tokenStore = new SqliteTokenStore(db);
        tokenStore.Save(TokenFiles.Hash(userToken), new Principal(Principal.LocalOwner, TokenKind.User), time.GetUtcNow());
        tokenStore.Save(TokenFiles.Hash(runnerToken), new Principal(Principal.LocalOwner, TokenKind.Runner), time.GetUtcNow());
        var tokens = tokenStore.LoadAll();
        // Nobody could reach a server that was down: runners count as seen now and get a full timeout to come back.
        new SqliteRunnerStore(db).MarkAllSeen(time.GetUtcNow());

        var preferred = options.Port == 0 && options.Embedded ? EmbeddedStateFile.PreviousPort(files.ServerState) : null;
        WebApplication app;
        if (preferred is { } previousPort)
        {
            try
            {
                app = await StartAppAsync(options, files, db, tokens, time, new IPEndPoint(address, previousPort), ct);
            }
            catch (IOException)
            {
                // Taken by something else since: any free port will do, the runner reads the new one from server.json.
                app = await StartAppAsync(options, files, db, tokens, time, new IPEndPoint(address, 0), ct);
            }
        }
        else
        {
            app = await StartAppAsync(options, files, db, tokens, time, new IPEndPoint(address, options.Port), ct);
        }

        var url = new Uri(app.Urls.First());
        var storage = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Dstack.Server.Storage");
        db.Checkpoints.Failed = e => storage.LogWarning(e, "background checkpoints of {Database}: {Problem}", db.Path,
            db.Checkpoints.Available ? "a checkpoint failed; tried again after later writes" : "not available, SQLite checkpoints inside commits");
        BuiltInRunnerSupervisor? runner = null;
        if (options.Embedded)
        {
            EmbeddedStateFile.Write(files.ServerState, new EmbeddedServerState
            {
                Pid = Environment.ProcessId,
                Url = url.ToString(),
                BuildId = BuildInfo.Id,
                Version = BuildInfo.Version,
                ProtocolVersion = ProtocolInfo.Version,
                StartedAt = time.GetUtcNow(),
                ProcessStartTicks = ProcStat.Read(Environment.ProcessId)?.StartTicks ?? 0,
                BootId = ProcStat.BootId(),
            });
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Dstack.Server.BuiltInRunner");
            runner = new BuiltInRunnerSupervisor(options, files, runnerToken, logger, time);
            runner.Start();
        }
        return new RunningServer(app, url, userToken, runnerToken, files, options, runner, homeLock);
    }

    private static async Task<WebApplication> StartAppAsync(ServerOptions options, ServerFiles files, SqliteDatabase db,
        IReadOnlyDictionary<string, Principal> tokens, TimeProvider time, IPEndPoint endpoint, CancellationToken ct)
    {
        var app = Build(options, files, db, tokens, time, endpoint);
        try
        {
            await app.StartAsync(ct);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private static IPAddress ResolveHost(string host)
    {
        if (host == "localhost") return IPAddress.Loopback;
        return IPAddress.TryParse(host, out var address)
            ? address
            : throw new ArgumentException($"--host {host} is not an IP address: use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)");
    }

    private static WebApplication Build(ServerOptions options, ServerFiles files, SqliteDatabase db,
        IReadOnlyDictionary<string, Principal> tokens, TimeProvider time, IPEndPoint endpoint)
    {
        // No file watching: the content root holds nothing the server reads, and Home changes on every database write.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(endpoint);
            kestrel.AddServerHeader = false;
        });
        // One short line per event: the CLI appends this output to server.log.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ssZ ";
        });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));
        // Binding failures (malformed JSON, missing fields) reach UseApiErrors, which answers them with an ApiError.
        builder.Services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, DstackJsonContext.Default));

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(time);
        services.AddSingleton(db);
        services.AddSingleton<ITokenStore, SqliteTokenStore>();
        services.AddSingleton<IRepoStore, SqliteRepoStore>();
        services.AddSingleton<IRunStore, SqliteRunStore>();
        services.AddSingleton<IJobStore, SqliteJobStore>();
        services.AddSingleton<IJobControlStore, SqliteJobControlStore>();
        services.AddSingleton<IRunnerStore, SqliteRunnerStore>();
        services.AddSingleton<ILogStore, SqliteLogStore>();
        var blobStore = new LocalDiskBlobStore(files.Blobs);
        services.AddSingleton<IBlobStore>(blobStore);
        services.AddSingleton<IBlobInbox>(blobStore);
        services.AddSingleton(new SecretBox(files.SecretKey));
        services.AddSingleton<RepoCredentials>();
        services.AddSingleton<DispatchSignal>();
        services.AddSingleton<LogSignal>();
        services.AddSingleton<RunnerLiveness>();
        services.AddSingleton<RunViews>();
        services.AddSingleton<ParsedWorkflowFiles>();
        services.AddSingleton<RunSubmission>();
        services.AddSingleton<JobDispatcher>();
        services.AddSingleton<RunnerOrderSignals>();
        services.AddSingleton<OrderDispatcher>();
        services.AddSingleton<JobControl>();
        services.AddSingleton<LogStreamer>();
        services.AddSingleton<LeaseReaper>();
        services.AddHostedService(provider => provider.GetRequiredService<LeaseReaper>());
        services.AddSingleton<ITagStore, SqliteTagStore>();
        services.AddSingleton<RunTagging>();
        services.AddSingleton<IPruneStore, SqlitePruneStore>();
        services.AddSingleton<RunPruning>();

        var app = builder.Build();
        var protocol = ProtocolInfo.Version.ToString(CultureInfo.InvariantCulture);
        app.Use(next => context =>
        {
            context.Response.Headers[ProtocolInfo.Header] = protocol;
            return next(context);
        });
        app.UseApiErrors();
        app.UseTokenAuthentication(tokens);
        app.MapServerEndpoints();
        app.MapRepoEndpoints();
        app.MapBlobEndpoints();
        app.MapRunEndpoints();
        app.MapJobEndpoints();
        app.MapRunnerEndpoints();
        app.MapRunnerJobEndpoints();
        app.MapTagEndpoints();
        app.MapPruneEndpoints();
        return app;
    }
}
