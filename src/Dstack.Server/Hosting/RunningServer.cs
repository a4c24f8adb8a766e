using Dstack.Contracts.Client;
using Dstack.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dstack.Server.Hosting;

/// <summary>A server that listens: its URL and tokens, and a clean stop (DisposeAsync).</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly BuiltInRunnerSupervisor? _runner;
    private readonly ServerFiles _files;
    private readonly ServerOptions _options;
    private int _disposed;

    private readonly HomeLock _homeLock;

    internal RunningServer(WebApplication app, Uri url, string userToken, string runnerToken, ServerFiles files, ServerOptions options,
        BuiltInRunnerSupervisor? runner, HomeLock homeLock)
    {
        _homeLock = homeLock;
        _app = app;
        Url = url;
        UserToken = userToken;
        RunnerToken = runnerToken;
        _files = files;
        _options = options;
        _runner = runner;
    }

    /// <summary>Base URL, e.g. http://127.0.0.1:40123/.</summary>
    public Uri Url { get; }

    public string UserToken { get; }

    public string RunnerToken { get; }

    /// <summary>The built-in runner's pid (embedded mode), 0 when none runs.</summary>
    public int BuiltInRunnerPid => _runner?.RunnerPid ?? 0;

    /// <summary>Completes when a stop was asked for: POST /api/server/shutdown, SIGTERM/SIGINT, or <paramref name="ct"/>.</summary>
    public async Task WaitForShutdownAsync(CancellationToken ct)
    {
        var stopping = _app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var onStop = stopping.Register(() => done.TrySetResult());
        await using var onCancel = ct.Register(() => done.TrySetResult());
        await done.Task;
    }

    public DstackClient CreateUserClient() => new(Url, UserToken);

    public DstackClient CreateRunnerClient() => new(Url, RunnerToken);

    /// <summary>
    /// Stops cleanly: the built-in runner first (SIGTERM, while the server can still take its last reports), then
    /// the HTTP server (long-polls and log streams end at once), then server.json goes, then the database's writer
    /// connection is closed.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        var db = _app.Services.GetRequiredService<SqliteDatabase>();
        try
        {
            if (_runner is not null) await _runner.DisposeAsync();
            await _app.StopAsync(CancellationToken.None);
            if (_options.Embedded) EmbeddedStateFile.DeleteIfOurs(_files.ServerState, Url.ToString());
            await _app.DisposeAsync();
        }
        finally
        {
            db.Dispose();
            _homeLock.Dispose();
        }
    }
}
