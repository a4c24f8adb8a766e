using Dstack.Contracts.Client;
using Dstack.Contracts.Repos;
using Dstack.Contracts.Runner;
using Dstack.Contracts.Runs;
using Dstack.Server.Hosting;

namespace Dstack.Server.Tests.Support;

/// <summary>A real server on 127.0.0.1 (free port, temp Home), with a client acting as the user and one acting as a runner.</summary>
public sealed class ServerHarness : IAsyncDisposable
{
    private readonly TempHome? _ownedHome;

    private readonly TimeProvider _time;

    private ServerHarness(ServerOptions options, RunningServer server, TempHome? ownedHome, TimeProvider time)
    {
        _time = time;
        Options = options;
        Server = server;
        _ownedHome = ownedHome;
        User = server.CreateUserClient();
        Runner = server.CreateRunnerClient();
    }

    public ServerOptions Options { get; }
    public RunningServer Server { get; private set; }
    public DstackClient User { get; private set; }
    public DstackClient Runner { get; private set; }
    public string Home => Options.Home;

    public static async Task<ServerHarness> StartAsync(Func<ServerOptions, ServerOptions>? configure = null, string? home = null, TimeProvider? time = null)
    {
        var ownedHome = home is null ? new TempHome() : null;
        var options = new ServerOptions { Home = home ?? ownedHome!.Path, Port = 0 };
        if (configure is not null) options = configure(options);
        time ??= TimeProvider.System;
        var server = await DstackServer.StartAsync(options, time);
        return new ServerHarness(options, server, ownedHome, time);
    }

    /// <summary>Stops the server and starts a new one over the same Home, as after `dstack server stop` or a crash.</summary>
    public async Task RestartAsync()
    {
        User.Dispose();
        Runner.Dispose();
        await Server.DisposeAsync();
        Server = await DstackServer.StartAsync(Options, _time);
        User = Server.CreateUserClient();
        Runner = Server.CreateRunnerClient();
    }

    public async Task<RunInfo> SubmitAsync(string workflow, IReadOnlyDictionary<string, string>? variables = null, string repoUrl = Workflows.RepoUrl)
    {
        await User.InitRepoAsync(new InitRepoRequest { RepoUrl = repoUrl });
        return await User.SubmitRunAsync(Workflows.Run(workflow, repoUrl, variables));
    }

    /// <summary>Submits the request as it is, in its repository (initialised first).</summary>
    public async Task<RunInfo> SubmitAsync(SubmitRunRequest request)
    {
        await User.InitRepoAsync(new InitRepoRequest { RepoUrl = request.RepoUrl });
        return await User.SubmitRunAsync(request);
    }

    public async Task<RunnerRegistration> RegisterRunnerAsync(string? containerEngine = null, int gpus = 0, string? runnerId = null) =>
        await Runner.RegisterRunnerAsync(new RegisterRunnerRequest
        {
            RunnerId = runnerId,
            Slots = 2,
            Capabilities = new RunnerCapabilities { ContainerEngine = containerEngine, Gpus = gpus, Cpus = 2, MemoryBytes = 1L << 30 },
            Host = "test",
        });

    /// <summary>A lease that answers at once when a job is ready (short wait otherwise).</summary>
    public Task<JobLease?> LeaseAsync(RunnerRegistration runner, int waitMs = 200) =>
        Runner.LeaseAsync(new LeaseRequest { RunnerId = runner.RunnerId, WaitMs = waitMs });

    /// <summary>The runner's orders long-poll.</summary>
    public Task<RunnerOrders> OrdersAsync(RunnerRegistration runner, int waitMs = 200) =>
        Runner.GetOrdersAsync(new RunnerOrdersRequest { RunnerId = runner.RunnerId, WaitMs = waitMs });

    /// <summary>Plays a runner finishing a leased job.</summary>
    public Task FinishAsync(JobLease lease, Contracts.Jobs.JobStatus status = Contracts.Jobs.JobStatus.Done, string? reason = null, int exitCode = 0) =>
        Runner.ReportOutcomeAsync(lease.JobId, new JobOutcome { FencingToken = lease.FencingToken, Status = status, ExitCode = exitCode, Reason = reason });

    public async ValueTask DisposeAsync()
    {
        User.Dispose();
        Runner.Dispose();
        await Server.DisposeAsync();
        _ownedHome?.Dispose();
    }
}
