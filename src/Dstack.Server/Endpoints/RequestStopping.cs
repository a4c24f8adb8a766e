using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dstack.Server.Endpoints;

/// <summary>A token for long requests (lease long-polls, log streams): cancelled when the client leaves or the server stops.</summary>
public static class RequestStopping
{
    public static CancellationTokenSource Token(HttpContext context) =>
        CancellationTokenSource.CreateLinkedTokenSource(
            context.RequestAborted,
            context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
}
