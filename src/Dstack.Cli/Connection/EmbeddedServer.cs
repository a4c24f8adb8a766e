using System.Text.Json;
using Dstack.Contracts;
using Dstack.Contracts.Client;
using Dstack.Contracts.Server;

namespace Dstack.Cli.Connection;

/// <summary>The embedded server as DSTACK_HOME describes it: its server.json, whether it answers, its token.</summary>
public sealed class EmbeddedServer(DstackHome home)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    public DstackHome Home { get; } = home;

    /// <summary>server.json, or null when absent or unreadable (a torn or foreign file is as good as none).</summary>
    public EmbeddedServerState? ReadState()
    {
        try
        {
            using var stream = File.OpenRead(Home.ServerJson);
            return JsonSerializer.Deserialize(stream, DstackJsonContext.Default.EmbeddedServerState);
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        catch (JsonException) { return null; }
        catch (IOException) { return null; }
    }

    public void DeleteState()
    {
        try { File.Delete(Home.ServerJson); }
        catch (IOException) { /* another command removed or replaced it meanwhile */ }
    }

    /// <summary>GET /api/version of the server server.json names, when its pid is alive; null when it does not answer as that pid.</summary>
    public async Task<ServerInfo?> ProbeAsync(EmbeddedServerState state, CancellationToken ct)
    {
        if (!ProcessLiveness.IsAlive(state.Pid)) return null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            // No protocol check: a server of an older protocol must still be recognised, so it can be replaced.
            using var client = new DstackClient(new Uri(state.Url), token: "", checkProtocol: false);
            var info = await client.GetVersionAsync(timeout.Token);
            // A recycled port could answer for another server: only the pid server.json names counts.
            return info.ProcessId == state.Pid ? info : null;
        }
        catch (HttpRequestException) { return null; }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { return null; }
        catch (DstackApiException) { return null; }
        catch (JsonException) { return null; }
        catch (UriFormatException) { return null; }
    }

    /// <summary>The user token the server created in DSTACK_HOME.</summary>
    public string ReadToken()
    {
        try
        {
            return File.ReadAllText(Home.Token).Trim();
        }
        catch (FileNotFoundException)
        {
            throw new Terminal.CliException($"the server did not create its token file {Home.Token}; see {Home.ServerLog}");
        }
    }

    /// <summary>Asks the server to stop and waits (bounded) for its process to end.</summary>
    public async Task<bool> ShutdownAsync(EmbeddedServerState state, TimeSpan wait, CancellationToken ct)
    {
        try
        {
            using var client = new DstackClient(new Uri(state.Url), ReadToken(), checkProtocol: false);
            await client.ShutdownAsync(ct);
        }
        catch (HttpRequestException)
        {
            // Already going away (another command asked first): wait for the process below.
        }
        return await ProcessLiveness.WaitForExitAsync(state.Pid, wait, ct);
    }

    /// <summary>The last lines of server.log, to show why a server did not come up.</summary>
    public string LogTail(int lines = 20)
    {
        if (!File.Exists(Home.ServerLog)) return "(server.log is empty)";
        var all = File.ReadAllLines(Home.ServerLog);
        return string.Join(Environment.NewLine, all.Skip(Math.Max(0, all.Length - lines)));
    }
}
