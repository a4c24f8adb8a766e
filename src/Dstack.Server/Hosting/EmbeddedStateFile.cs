using System.Text.Json;
using Dstack.Contracts;
using Dstack.Contracts.Server;
using Dstack.Server.Storage;

namespace Dstack.Server.Hosting;

/// <summary>Home/server.json: how the CLI and the built-in runner find an embedded server (written once it listens).</summary>
public static class EmbeddedStateFile
{
    public static void Write(string path, EmbeddedServerState state) =>
        PrivateFile.WriteAtomically(path, JsonSerializer.Serialize(state, DstackJsonContext.Default.EmbeddedServerState));

    public static EmbeddedServerState? TryRead(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), DstackJsonContext.Default.EmbeddedServerState);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The port an earlier server of this Home listened on: reusing it lets a built-in runner that outlived a crash find the server again.</summary>
    public static int? PreviousPort(string path) =>
        TryRead(path) is { } state && Uri.TryCreate(state.Url, UriKind.Absolute, out var url) && url.Port > 0 ? url.Port : null;

    /// <summary>Removes the file on clean shutdown, unless another server has replaced it since.</summary>
    public static void DeleteIfOurs(string path, string url)
    {
        if (TryRead(path) is { } state && state.Url == url && state.Pid == Environment.ProcessId) File.Delete(path);
    }
}
