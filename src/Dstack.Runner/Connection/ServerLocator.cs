using System.Text.Json;
using Dstack.Contracts;

namespace Dstack.Runner.Connection;

/// <summary>
/// Finds the server's URL: the embedded server's server.json when there is one (it is rewritten when the
/// server restarts, possibly on another port), else the URL given on the command line.
/// </summary>
public sealed class ServerLocator(Uri? server, string? serverFile)
{
    public string Describe() => serverFile is null ? server?.ToString() ?? "(no server)" : $"{serverFile}";

    /// <summary>The URL to use now, or null when it is not known yet (server.json not written).</summary>
    public Uri? Locate()
    {
        if (serverFile is not null)
        {
            try
            {
                var state = JsonSerializer.Deserialize(File.ReadAllBytes(serverFile), DstackJsonContext.Default.EmbeddedServerState);
                if (state is not null && Uri.TryCreate(state.Url, UriKind.Absolute, out var url)) return url;
            }
            catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
            {
                // Not written yet, being replaced, or half-written by a crash: fall back, and look again on the next failure.
            }
        }
        return server;
    }
}
