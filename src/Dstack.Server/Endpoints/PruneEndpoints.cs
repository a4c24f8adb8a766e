using Dstack.Contracts;
using Dstack.Contracts.Pruning;
using Dstack.Server.Auth;
using Dstack.Server.Pruning;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dstack.Server.Endpoints;

/// <summary>`dstack prune [--dry-run]`: remove a repository's finished runs that no tagged or unfinished run uses.</summary>
public static class PruneEndpoints
{
    public static void MapPruneEndpoints(this WebApplication app)
    {
        app.MapPost(ApiRoutes.Prune, (HttpContext context, PruneRequest request, RunPruning pruning) =>
            TypedResults.Json(pruning.Prune(context.Principal(), request), DstackJsonContext.Default.PruneResult));
    }
}
