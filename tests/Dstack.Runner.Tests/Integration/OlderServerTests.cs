using System.Collections.Concurrent;
using Dstack.Contracts;
using Dstack.Contracts.Runner;
using Dstack.Contracts.Server;
using Dstack.Runner.Connection;
using Dstack.Runner.Hosting;
using Dstack.Runner.Jobs;
using Dstack.Runner.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Dstack.Runner.Tests.Integration;

/// <summary>
/// A server from before the orders long-poll: it answers register and heartbeat (with the stop orders in the
/// heartbeat answer) and 404 "no such API route" to anything else, as this project's server did. It cannot
/// exist in process next to the real server of this version, so it is a small stand-in on real HTTP.
/// </summary>
public sealed class OlderServerTests : IAsyncLifetime
{
    private readonly TempFolder _temp = new();
    private readonly ConcurrentQueue<string> _routes = new();
    private WebApplication _server = null!;
    private Uri _url = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        _server.Use(next => context =>
        {
            _routes.Enqueue(context.Request.Path);
            return next(context);
        });
        _server.MapPost(ApiRoutes.RunnerRegister, () => TypedResults.Json(
            new RunnerRegistration { RunnerId = "rrrrrrrrrrrr", Name = "cricket-1", HeartbeatIntervalMs = 100 }, DstackJsonContext.Default.RunnerRegistration));
        _server.MapPost(ApiRoutes.RunnerHeartbeat, () => TypedResults.Json(new HeartbeatResponse
        {
            Stop = [new JobStopOrder { JobId = "aaaaaaaaaaaa", FencingToken = 7, Abort = false, GraceMs = 500 }],
        }, DstackJsonContext.Default.HeartbeatResponse));
        _server.MapFallback(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return context.Response.WriteAsJsonAsync(new ApiError($"no such API route: {context.Request.Method} {context.Request.Path}"), DstackJsonContext.Default.ApiError);
        });
        await _server.StartAsync();
        _url = new Uri(_server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    [Fact]
    public async Task TheRunnerSaysOnceThatTheServerHasNoOrdersLongPoll_AndTakesTheStopOrdersFromHeartbeats()
    {
        var output = new StringWriter();
        var log = new RunnerLog(TextWriter.Synchronized(output));
        using var connection = new ServerConnection(new ServerLocator(_url, null), "token", log, TimeSpan.FromMilliseconds(200));
        var options = new RunnerOptions { Server = _url, Token = "token", Home = _temp.Path, Slots = 1 };
        using var identity = new RunnerIdentity(connection, options, new RunnerCapabilities { Cpus = 1, MemoryBytes = 1, Gpus = 0 }, log);
        await identity.RegisterAsync(CancellationToken.None);
        var jobs = new ActiveJobSet();
        using var job = new RunningJob(new JobLease
        {
            JobId = "aaaaaaaaaaaa",
            RunName = "fast-rabbit-1",
            Workflow = "train",
            FencingToken = 7,
            Attempt = 1,
            Spec = new JobSpec { RepoUrl = "/repo", Commit = new string('a', 40), Commands = ["true"], WorkingDir = ".", Environment = new Dictionary<string, string>(), Artifacts = [] },
        }, CancellationToken.None);
        jobs.Add(job);
        using var stop = new CancellationTokenSource();

        var orders = new OrdersLoop(connection, identity, jobs, log, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50)).RunAsync(stop.Token);
        var heartbeats = new HeartbeatLoop(connection, identity, jobs, log).RunAsync(stop.Token);
        await Wait.UntilAsync(() => job.Stop.IsRequested && _routes.Count(r => r == ApiRoutes.RunnerOrders) >= 3, TimeSpan.FromSeconds(20), "a stop order and three orders polls");
        await stop.CancelAsync();
        // Each loop ends on the cancellation: by throwing it from a wait, or by seeing it between two polls.
        await EndsOnCancellationAsync(orders);
        await EndsOnCancellationAsync(heartbeats);

        Assert.Equal(500, (await job.Stop.Graceful).GraceMs);
        var notices = output.ToString().Split('\n').Where(l => l.Contains("does not answer the orders long-poll", StringComparison.Ordinal)).ToList();
        Assert.Single(notices);
        Assert.Contains("404 no such API route: POST /api/runners/orders", notices[0]);
    }

    private static async Task EndsOnCancellationAsync(Task loop)
    {
        try
        {
            await loop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }
        Assert.True(loop.IsCompleted);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _temp.Dispose();
    }
}
