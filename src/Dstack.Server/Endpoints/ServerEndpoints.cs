using Dstack.Contracts;
using Dstack.Contracts.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Dstack.Server.Endpoints;

/// <summary>The server itself: its version (no token needed) and a graceful shutdown.</summary>
public static class ServerEndpoints
{
    public static void MapServerEndpoints(this WebApplication app)
    {
        app.MapGet(ApiRoutes.Version, () => TypedResults.Json(new ServerInfo
        {
            Version = BuildInfo.Version,
            BuildId = BuildInfo.Id,
            ProtocolVersion = ProtocolInfo.Version,
            ProcessId = Environment.ProcessId,
        }, DstackJsonContext.Default.ServerInfo));

        app.MapPost(ApiRoutes.Shutdown, (IHostApplicationLifetime lifetime) =>
        {
            // Answer first: the host stops once this request completes (the stopping token ends long-polls and log streams).
            lifetime.StopApplication();
            return TypedResults.Accepted((string?)null);
        });
    }
}
