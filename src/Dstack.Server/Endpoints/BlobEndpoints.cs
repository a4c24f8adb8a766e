using Dstack.Contracts;
using Dstack.Contracts.Blobs;
using Dstack.Server.Blobs;
using Dstack.Server.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Dstack.Server.Endpoints;

/// <summary>Content-addressed blobs: uploads stream to disk while hashed, downloads stream from disk.</summary>
public static class BlobEndpoints
{
    public static void MapBlobEndpoints(this WebApplication app)
    {
        app.MapPost(ApiRoutes.Blobs, async (HttpContext context, IBlobStore blobs) =>
        {
            // Artifacts and untracked files may be far larger than Kestrel's default 30 MB body limit; they never sit in memory.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
            var blob = await blobs.PutAsync(context.Request.Body, context.RequestAborted);
            return TypedResults.Json(blob, DstackJsonContext.Default.BlobRef);
        });

        app.MapPost(ApiRoutes.RunnerBlobAdopt, (BlobAdoptRequest request, IBlobInbox inbox) =>
        {
            if (!BlobStoreLayout.IsInboxName(request.Name))
                throw ApiErrorException.BadRequest($"'{request.Name}' is not a name of the blob inbox: lower-case letters, digits and '-' only");
            if (request.Size < 0) throw ApiErrorException.BadRequest($"a blob cannot have {request.Size} bytes");
            try
            {
                var blob = inbox.Adopt(request.Name, Checked(request.Sha256), request.Size)
                    ?? throw ApiErrorException.NotFound($"no file {request.Name} in the blob inbox {inbox.Folder}: upload the content instead");
                return TypedResults.Json(blob, DstackJsonContext.Default.BlobRef);
            }
            catch (InvalidDataException e)
            {
                throw ApiErrorException.BadRequest(e.Message);
            }
        });

        app.MapGet("/api/blobs/{sha256}", (string sha256, IBlobStore blobs) =>
        {
            var stream = blobs.OpenRead(Checked(sha256)) ?? throw ApiErrorException.NotFound($"blob {sha256} is not stored on this server");
            return TypedResults.Stream(stream, "application/octet-stream");
        });

        app.MapMethods("/api/blobs/{sha256}", [HttpMethods.Head], (HttpContext context, string sha256, IBlobStore blobs) =>
        {
            if (blobs.SizeOf(Checked(sha256)) is not { } size) return Results.NotFound();
            context.Response.ContentLength = size;
            context.Response.ContentType = "application/octet-stream";
            return Results.Ok();
        });
    }

    private static string Checked(string sha256) =>
        BlobHash.IsValid(sha256) ? sha256 : throw ApiErrorException.BadRequest($"'{sha256}' is not a blob name: blobs are named by their SHA-256 in lower-case hex");
}
