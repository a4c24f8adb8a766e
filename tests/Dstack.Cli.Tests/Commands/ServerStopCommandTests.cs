using System.Diagnostics;
using System.Text.Json;
using Dstack.Cli.Tests.Support;
using Dstack.Contracts;
using Dstack.Contracts.Server;

namespace Dstack.Cli.Tests.Commands;

public class ServerStopCommandTests
{
    [Fact]
    public async Task WithNoServerItSaysNoneIsRunning()
    {
        using var folder = new TempFolder();
        var result = await CliHarness.RunAsync(folder.Path, new Dictionary<string, string?> { ["DSTACK_HOME"] = folder.Path }, "server", "stop");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("no server is running\n", result.Out);
    }

    [Fact]
    public async Task AStaleServerFileOfADeadProcessIsRemoved()
    {
        using var folder = new TempFolder();
        var dead = Process.Start(new ProcessStartInfo("true"))!;
        await dead.WaitForExitAsync();
        var deadPid = dead.Id;
        dead.Dispose();
        var state = new EmbeddedServerState { Pid = deadPid, Url = "http://127.0.0.1:9", BuildId = "old", Version = "0.0.1", ProtocolVersion = 1, StartedAt = DateTimeOffset.UtcNow };
        var serverJson = Path.Combine(folder.Path, "server.json");
        File.WriteAllText(serverJson, JsonSerializer.Serialize(state, DstackJsonContext.Default.EmbeddedServerState));

        var result = await CliHarness.RunAsync(folder.Path, new Dictionary<string, string?> { ["DSTACK_HOME"] = folder.Path }, "server", "stop");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"no server is running (removed the stale {serverJson} of pid {deadPid})\n", result.Out);
        Assert.False(File.Exists(serverJson));
    }

    [Fact]
    public async Task ALiveProcessThatDoesNotAnswerIsReportedWithHowToStopIt()
    {
        using var folder = new TempFolder();
        // This test process is alive and does not serve HTTP on that port.
        var state = new EmbeddedServerState { Pid = Environment.ProcessId, Url = "http://127.0.0.1:9", BuildId = "x", Version = "0", ProtocolVersion = 1, StartedAt = DateTimeOffset.UtcNow };
        File.WriteAllText(Path.Combine(folder.Path, "server.json"), JsonSerializer.Serialize(state, DstackJsonContext.Default.EmbeddedServerState));
        var result = await CliHarness.RunAsync(folder.Path, new Dictionary<string, string?> { ["DSTACK_HOME"] = folder.Path }, "server", "stop");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"the server process {Environment.ProcessId} does not answer on http://127.0.0.1:9: stop it with `kill {Environment.ProcessId}`\n", result.Error);
    }
}
