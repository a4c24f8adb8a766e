using System.Text;
using System.Text.Json;
using Dstack.Contracts;
using Dstack.Contracts.Client;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Logs;
using Dstack.Contracts.Repos;
using Dstack.Contracts.Runs;
using Dstack.Contracts.Server;
using Dstack.Runner.Hosting;
using Dstack.Runner.Tests.Support;
using Dstack.Server.Hosting;

namespace Dstack.Runner.Tests.Integration;

/// <summary>
/// The real server (in process, real HTTP on 127.0.0.1, real SQLite) and a real runner pointed at it
/// through a server.json, the way the built-in runner finds the embedded server, plus a real git remote.
/// </summary>
public sealed class LoopHarness : IAsyncDisposable
{
    private readonly TempFolder _temp = new();
    private CancellationTokenSource _runnerStop = new();
    private readonly StringWriter _runnerLog = new();

    public LoopHarness()
    {
        Remote = new GitRemote(_temp);
        ServerHome = _temp.Combine("server");
        RunnerHome = _temp.Combine("runner");
        ServerFile = _temp.Combine("server", "server.json");
    }

    public GitRemote Remote { get; }
    public string ServerHome { get; }
    public string RunnerHome { get; }
    public string ServerFile { get; }
    public RunningServer Server { get; private set; } = null!;
    public DstackClient User { get; private set; } = null!;
    public Task<int> Runner { get; private set; } = Task.FromResult(0);
    public string RunnerLog { get { lock (_runnerLog) return _runnerLog.ToString(); } }

    public string Combine(params string[] parts) => _temp.Combine(parts);

    /// <summary>A runner silent this long is lost (its heartbeats come every third of it).</summary>
    public TimeSpan RunnerTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Starts the server; unpublished, the runner cannot find it until <see cref="PublishServerAsync"/>.</summary>
    public async Task StartServerAsync(bool publish = true)
    {
        Server = await DstackServer.StartAsync(new ServerOptions { Home = ServerHome, Port = 0, RunnerTimeout = RunnerTimeout });
        User?.Dispose();
        User = Server.CreateUserClient();
        if (publish) await PublishServerAsync();
    }

    /// <summary>Writes server.json, where the runner looks for the server (at <paramref name="url"/>: a proxy in front of it).</summary>
    public async Task PublishServerAsync(Uri? url = null)
    {
        var state = new EmbeddedServerState
        {
            Pid = Environment.ProcessId,
            Url = (url ?? Server.Url).ToString(),
            BuildId = "test",
            Version = "test",
            ProtocolVersion = ProtocolInfo.Version,
            StartedAt = DateTimeOffset.UtcNow,
        };
        await File.WriteAllBytesAsync(ServerFile + ".tmp", JsonSerializer.SerializeToUtf8Bytes(state, DstackJsonContext.Default.EmbeddedServerState));
        File.Move(ServerFile + ".tmp", ServerFile, overwrite: true);
    }

    public void StartRunner(int slots = 2)
    {
        if (_runnerStop.IsCancellationRequested)
        {
            _runnerStop.Dispose();
            _runnerStop = new CancellationTokenSource(); // a restart
        }
        var writer = TextWriter.Synchronized(_runnerLog);
        var options = new RunnerOptions
        {
            ServerFile = ServerFile,
            Token = Server.RunnerToken,
            Home = RunnerHome,
            Slots = slots,
            LeaseWait = TimeSpan.FromSeconds(5),
            MaxRetryDelay = TimeSpan.FromMilliseconds(200),
            LogWriter = writer,
        };
        var stop = _runnerStop.Token;
        Runner = Task.Run(() => RunnerProgram.RunAsync(options, stop));
    }

    public async Task<int> StopRunnerAsync()
    {
        await _runnerStop.CancelAsync();
        return await Runner.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Commits the workflow file, registers the repository, submits a run of the workflow.</summary>
    public async Task<RunInfo> SubmitAsync(string workflowsYaml, string workflow, IReadOnlyDictionary<string, string?>? files = null)
    {
        var all = new Dictionary<string, string?>(files ?? new Dictionary<string, string?>()) { [".dstack/workflows.yaml"] = workflowsYaml };
        var commit = Remote.Commit(all);
        await User.InitRepoAsync(new InitRepoRequest { RepoUrl = Remote.Url });
        return await User.SubmitRunAsync(new SubmitRunRequest
        {
            RepoUrl = Remote.Url,
            Branch = "main",
            Commit = commit,
            WorkflowFiles = [new WorkflowFileContent(".dstack/workflows.yaml", workflowsYaml)],
            Workflow = workflow,
            // The runner's tests want every submission to run: reuse is the server's business, tested there.
            Code = new RepoCode { Tree = commit },
            NoCache = true,
        });
    }

    public async Task<RunInfo> WaitForRunAsync(string runName, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var run = await User.FindRunAsync(runName);
            if (run is not null && run.Status is JobStatus.Done or JobStatus.Failed or JobStatus.Stopped or JobStatus.Aborted) return run;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"run {runName} still {run?.Status} after {timeout.TotalSeconds}s; runner log:\n{RunnerLog}");
            await Task.Delay(20);
        }
    }

    /// <summary>The bytes of one stream of a job's log: of all its attempts in order, or of one.</summary>
    public async Task<byte[]> LogBytesAsync(string jobId, LogStream stream, int? attempt = null)
    {
        var bytes = new List<byte>();
        await foreach (var record in User.StreamJobLogsAsync(jobId, null, follow: false))
        {
            if (record.Stream == stream && (attempt is null || record.Attempt == attempt)) bytes.AddRange(record.Data);
        }
        return bytes.ToArray();
    }

    public async Task WaitForLogAsync(string jobId, string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!(await LogTextAsync(jobId)).Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no '{text}' in the log of {jobId}; runner log:\n{RunnerLog}");
            await Task.Delay(20);
        }
    }

    public async Task<JobInfo> WaitForJobAsync(string jobId, Func<JobInfo, bool> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var job = await User.FindJobAsync(jobId);
            if (job is not null && condition(job)) return job;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"job {jobId} is {job?.Status}, still not {what}; runner log:\n{RunnerLog}");
            await Task.Delay(20);
        }
    }

    public async Task<string> LogTextAsync(string jobId) =>
        Encoding.UTF8.GetString(await LogBytesAsync(jobId, LogStream.Stdout)) + Encoding.UTF8.GetString(await LogBytesAsync(jobId, LogStream.Stderr));

    public async Task<byte[]> BlobAsync(string sha256)
    {
        await using var stream = await User.OpenBlobAsync(sha256);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _runnerStop.CancelAsync();
        try
        {
            await Runner.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception)
        {
            // the test already failed
        }
        if (Server is not null) await Server.DisposeAsync();
        User?.Dispose();
        _runnerStop.Dispose();
        _temp.Dispose();
    }
}
