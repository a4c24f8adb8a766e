using System.Text.Json;
using Dstack.Cli.Connection;
using Dstack.Cli.Hosting;
using Dstack.Cli.Terminal;
using Dstack.Cli.Tests.Support;
using Dstack.Contracts;
using Dstack.Contracts.Server;

namespace Dstack.Cli.Tests.Connection;

/// <summary>
/// The connector against real processes started through setsid: a stand-in server (Connection/stand_in_server.py) that
/// keeps the server.json + /api/version contract, and a process that dies at once.
/// </summary>
public class ServerConnectorTests : IDisposable
{
    private readonly TempFolder _home = new();
    private static readonly ServerLaunchCommand StandIn = new("python3", [Path.Combine(AppContext.BaseDirectory, "Connection", "stand_in_server.py")]);

    private ServerConnector Connector(StringWriter error, ServerLaunchCommand? launch = null) =>
        new(new CliEnvironment(_home.Path, new Dictionary<string, string?> { ["DSTACK_HOME"] = _home.Path, ["DSTACK_SERVER_URL"] = null }), error, launch ?? StandIn);

    private EmbeddedServerState State() =>
        JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(_home.Path, "server.json")), DstackJsonContext.Default.EmbeddedServerState)!;

    private string[] Starts() => File.ReadAllLines(Path.Combine(_home.Path, "starts.log"));

    [Fact]
    public async Task TheFirstCommandStartsAServerAndSaysSoOnce()
    {
        var error = new StringWriter();
        using (var client = await Connector(error).ConnectAsync(default))
        {
            var info = await client.GetVersionAsync();
            Assert.Equal(State().Pid, info.ProcessId);
        }
        Assert.Equal($"Started a background dstack server (pid {State().Pid}) on {State().Url}; state in {_home.Path}\n", error.ToString());

        var second = new StringWriter();
        using (await Connector(second).ConnectAsync(default)) { }
        Assert.Equal("", second.ToString());
        Assert.Single(Starts());
        Assert.True(ProcessLiveness.IsAlive(State().Pid));
        await StopAsync();
    }

    [Fact]
    public async Task RacingCommandsStartOnlyOneServer()
    {
        var errors = Enumerable.Range(0, 4).Select(_ => new StringWriter()).ToList();
        var clients = await Task.WhenAll(errors.Select(e => Connector(e).ConnectAsync(default)));
        foreach (var c in clients) c.Dispose();
        Assert.Single(Starts());
        Assert.Single(errors, e => e.ToString().StartsWith("Started a background dstack server", StringComparison.Ordinal));
        await StopAsync();
    }

    [Fact]
    public async Task AStaleServerFileOfADeadProcessIsReplaced()
    {
        var stale = new EmbeddedServerState { Pid = int.MaxValue - 1, Url = "http://127.0.0.1:9/", BuildId = "dev", Version = "0", ProtocolVersion = 1, StartedAt = DateTimeOffset.UtcNow };
        File.WriteAllText(Path.Combine(_home.Path, "server.json"), JsonSerializer.Serialize(stale, DstackJsonContext.Default.EmbeddedServerState));
        var error = new StringWriter();
        using (await Connector(error).ConnectAsync(default)) { }
        Assert.NotEqual(stale.Pid, State().Pid);
        Assert.StartsWith("Started a background dstack server", error.ToString());
        await StopAsync();
    }

    [Fact]
    public async Task AServerOfAnotherBuildIsStoppedAndReplaced()
    {
        File.WriteAllText(Path.Combine(_home.Path, "stand-in-build-id"), "an-older-install");
        using (await Connector(new StringWriter()).ConnectAsync(default)) { }
        var old = State();
        Assert.Equal("an-older-install", old.BuildId);

        File.Delete(Path.Combine(_home.Path, "stand-in-build-id"));
        var error = new StringWriter();
        using (await Connector(error).ConnectAsync(default)) { }
        Assert.StartsWith("dstack was upgraded: restarting the background server\nStarted a background dstack server", error.ToString());
        Assert.False(ProcessLiveness.IsAlive(old.Pid));
        Assert.Equal(BuildInfo.Id, State().BuildId);
        Assert.Equal(2, Starts().Length);
        await StopAsync();
    }

    [Fact]
    public async Task AServerThatDiesAtOnceIsReportedWithTheEndOfItsLog()
    {
        var dying = new ServerLaunchCommand("sh", ["-c", "echo 'cannot open state.db: disk full' >&2; exit 3"]);
        var error = await Assert.ThrowsAsync<CliException>(() => Connector(new StringWriter(), dying).ConnectAsync(default));
        Assert.StartsWith("the background server exited with code 3 before it was ready; the end of ", error.Message);
        Assert.Contains("cannot open state.db: disk full", error.Message);
    }

    [Fact]
    public async Task ServerStopStopsTheRunningServer()
    {
        using (await Connector(new StringWriter()).ConnectAsync(default)) { }
        var pid = State().Pid;
        var result = await CliHarness.RunAsync(_home.Path, new Dictionary<string, string?> { ["DSTACK_HOME"] = _home.Path }, "server", "stop");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"stopped the background dstack server (pid {pid})\n", result.Out);
        Assert.False(ProcessLiveness.IsAlive(pid));
    }

    private async Task StopAsync()
    {
        var server = new EmbeddedServer(new DstackHome(_home.Path));
        if (server.ReadState() is { } state) Assert.True(await server.ShutdownAsync(state, TimeSpan.FromSeconds(10), default));
    }

    public void Dispose()
    {
        // A test that failed half-way must not leave its stand-in server running.
        if (new EmbeddedServer(new DstackHome(_home.Path)).ReadState() is { } state && ProcessLiveness.IsAlive(state.Pid))
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(state.Pid);
                process.Kill();
            }
            catch (ArgumentException) { /* already gone */ }
        }
        _home.Dispose();
    }
}
