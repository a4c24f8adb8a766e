using Dstack.Contracts;
using Dstack.Contracts.Tags;
using Dstack.Server.Auth;
using Dstack.Server.Tags;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dstack.Server.Endpoints;

/// <summary>`dstack tag RUN NAME` and `dstack untag NAME`: tags are per repository; both answer with the run.</summary>
public static class TagEndpoints
{
    public static void MapTagEndpoints(this WebApplication app)
    {
        app.MapPost("/api/runs/{runName}/tag", (HttpContext context, string runName, TagRequest request, RunTagging tagging) =>
            TypedResults.Json(tagging.Tag(context.Principal(), runName, request), DstackJsonContext.Default.RunInfo));

        app.MapDelete("/api/tags/{tag}", (HttpContext context, string tag, string? repo, RunTagging tagging) =>
            TypedResults.Json(tagging.Untag(context.Principal(), tag, repo), DstackJsonContext.Default.RunInfo));
    }
}
