using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Dstack.Contracts;
using Dstack.Contracts.Client;
using Dstack.Server.Hosting;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Hosting;

public sealed class EmbeddedServerTests
{
    private static ServerOptions Embedded(TempHome home, FakeRunnerScript runner) =>
        new() { Home = home.Path, Embedded = true, RunnerExecutable = runner.ExecutablePath, RunnerSlots = 3 };

    private static bool IsAlive(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z');

    [Fact]
    public async Task EmbeddedServer_WritesServerJson_StartsTheBuiltInRunnerInItsOwnSession_AndStopsBothCleanly()
    {
        using var home = new TempHome();
        var script = new FakeRunnerScript(home.Path);
        var server = await DstackServer.StartAsync(Embedded(home, script));
        int pid;
        try
        {
            var serverJson = Path.Combine(home.Path, "server.json");
            var state = JsonSerializer.Deserialize(File.ReadAllText(serverJson), DstackJsonContext.Default.EmbeddedServerState)!;
            await Eventually.Until(() => script.StartedPids().Count == 1, what: "the built-in runner to start");
            pid = script.StartedPids()[0];

            Assert.Equal(server.Url.ToString(), state.Url);
            Assert.Equal(Environment.ProcessId, state.Pid);
            Assert.Equal(ProtocolInfo.Version, state.ProtocolVersion);
            Assert.Equal(BuildInfo.Id, state.BuildId);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(serverJson));
            Assert.Equal(
                ["runner", "--home", Path.Combine(home.Path, "runner"), "--server-file", serverJson, "--slots", "3"],
                script.ArgsOf(pid));
            Assert.Equal(server.RunnerToken, script.TokenOf(pid));
            Assert.DoesNotContain(server.RunnerToken, File.ReadAllText($"/proc/{pid}/cmdline"));
            // Field 6 of /proc/PID/stat is the session id: the runner leads a session of its own.
            Assert.Equal(pid.ToString(), File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].Split(' ')[3]);
            Assert.Equal(pid, server.BuiltInRunnerPid);
            await Eventually.Until(() => File.Exists(Path.Combine(home.Path, "runner.log")) && File.ReadAllText(Path.Combine(home.Path, "runner.log")).Contains($"fake runner {pid} started"),
                what: "the runner's output in runner.log");
        }
        finally
        {
            await server.DisposeAsync();
        }

        Assert.True(script.Stopped(pid), "the runner got SIGTERM");
        Assert.False(IsAlive(pid));
        Assert.False(File.Exists(Path.Combine(home.Path, "server.json")));
    }

    [Fact]
    public async Task BuiltInRunner_IsRestarted_WhenItDiesWhileTheServerRuns()
    {
        using var home = new TempHome();
        var script = new FakeRunnerScript(home.Path);
        await using var server = await DstackServer.StartAsync(Embedded(home, script));
        await Eventually.Until(() => script.StartedPids().Count == 1, what: "the built-in runner to start");
        var first = script.StartedPids()[0];

        Process.GetProcessById(first).Kill();
        await Eventually.Until(() => script.StartedPids().Count == 2, bound: TimeSpan.FromSeconds(20), what: "the runner to be restarted");

        var second = script.StartedPids().Single(p => p != first);
        Assert.True(IsAlive(second));
        await server.DisposeAsync();
        Assert.True(script.Stopped(second));
    }

    [Fact]
    public async Task LiveRunnerNamedInRunnerJson_IsLeftToReconnect_NotStartedTwice()
    {
        using var home = new TempHome();
        var script = new FakeRunnerScript(home.Path);
        using var survivor = Process.Start(new ProcessStartInfo("/bin/bash", ["-c", "exec -a dstack-runner-survivor sleep 60"]))!;
        Directory.CreateDirectory(Path.Combine(home.Path, "runner"));
        File.WriteAllText(Path.Combine(home.Path, "runner", "runner.json"), $$"""{"runnerId":"r1","pid":{{survivor.Id}}}""");
        await Eventually.Until(() => File.ReadAllText($"/proc/{survivor.Id}/cmdline").Contains("runner"), what: "the survivor's exec");

        var server = await DstackServer.StartAsync(Embedded(home, script));
        await Eventually.Until(() => server.BuiltInRunnerPid == survivor.Id, what: "the server to adopt the live runner");
        await server.DisposeAsync();

        Assert.Empty(script.StartedPids());
        Assert.True(survivor.WaitForExit(TimeSpan.FromSeconds(5)), "the adopted runner got SIGTERM on shutdown");
    }

    [Fact]
    public async Task EmbeddedServer_ReusesThePortInALeftoverServerJson()
    {
        using var home = new TempHome();
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var freePort = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        // What a crashed server leaves behind.
        WriteLeftover(Path.Combine(home.Path, "server.json"), freePort);

        await using var server = await DstackServer.StartAsync(Embedded(home, new FakeRunnerScript(home.Path)));

        Assert.Equal(freePort, server.Url.Port);
    }

    [Fact]
    public async Task EmbeddedServer_TakesAFreePort_WhenTheLeftoverOneIsBusy()
    {
        using var home = new TempHome();
        var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        try
        {
            var busyPort = ((IPEndPoint)busy.LocalEndpoint).Port;
            WriteLeftover(Path.Combine(home.Path, "server.json"), busyPort);

            await using var server = await DstackServer.StartAsync(Embedded(home, new FakeRunnerScript(home.Path)));

            Assert.NotEqual(busyPort, server.Url.Port);
            using var client = server.CreateUserClient();
            Assert.Equal(Environment.ProcessId, (await client.GetVersionAsync()).ProcessId);
            var state = JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(home.Path, "server.json")), DstackJsonContext.Default.EmbeddedServerState)!;
            Assert.Equal(server.Url.ToString(), state.Url);
        }
        finally
        {
            busy.Stop();
        }
    }

    [Fact]
    public async Task ShutdownRoute_StopsTheServerProgram_AndRemovesServerJson()
    {
        using var home = new TempHome();
        var script = new FakeRunnerScript(home.Path);
        var serverJson = Path.Combine(home.Path, "server.json");
        var program = Task.Run(() => ServerProgram.RunAsync(Embedded(home, script), CancellationToken.None));
        await Eventually.Until(() => File.Exists(serverJson), what: "server.json");
        var state = JsonSerializer.Deserialize(File.ReadAllText(serverJson), DstackJsonContext.Default.EmbeddedServerState)!;
        using var client = new DstackClient(new Uri(state.Url), File.ReadAllText(Path.Combine(home.Path, "token")).Trim());

        await client.ShutdownAsync();
        var exitCode = await program.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exitCode);
        Assert.False(File.Exists(serverJson));
        Assert.All(script.StartedPids(), pid => Assert.True(script.Stopped(pid)));
    }

    [Fact]
    public async Task ServerProgram_WithAHostThatIsNotAnAddress_FailsWithAClearMessage()
    {
        using var home = new TempHome();
        var error = new StringWriter();
        var original = Console.Error;

        int exitCode;
        try
        {
            Console.SetError(error);
            exitCode = await ServerProgram.RunAsync(new ServerOptions { Home = home.Path, Host = "not an address" }, CancellationToken.None);
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Equal(1, exitCode);
        Assert.Contains("not an IP address", error.ToString());
    }

    [Fact]
    public async Task ServerProgram_WithABadSettingInItsEnvironment_FailsToStart_NamingTheVariable()
    {
        using var home = new TempHome();
        var error = new StringWriter();
        var original = Console.Error;

        int exitCode;
        try
        {
            Console.SetError(error);
            exitCode = await ServerProgram.RunAsync(new ServerOptions { Home = home.Path },
                name => name == ServerEnvironment.RunnerTimeoutVariable ? "soon" : null, CancellationToken.None);
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Equal(1, exitCode);
        Assert.StartsWith("dstack server: can't start: DSTACK_RUNNER_TIMEOUT_SECONDS=soon is not a number of seconds", error.ToString());
        Assert.False(File.Exists(Path.Combine(home.Path, "state.db")));
    }

    private static void WriteLeftover(string path, int port) =>
        File.WriteAllText(path, JsonSerializer.Serialize(new Contracts.Server.EmbeddedServerState
        {
            Pid = 999_999,
            Url = $"http://127.0.0.1:{port}/",
            BuildId = "old",
            Version = "0.0.1",
            ProtocolVersion = ProtocolInfo.Version,
            StartedAt = DateTimeOffset.UtcNow,
        }, DstackJsonContext.Default.EmbeddedServerState));
}
