using Dstack.Contracts;
using Dstack.Contracts.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dstack.Server.Errors;

/// <summary>Turns every failure into an ApiError body, so clients always get a message they can show.</summary>
public static class ErrorResponses
{
    public static Task WriteAsync(HttpContext context, int statusCode, string message)
    {
        context.Response.StatusCode = statusCode;
        return context.Response.WriteAsJsonAsync(new ApiError(message), DstackJsonContext.Default.ApiError);
    }

    public static void UseApiErrors(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Dstack.Server");
        app.Use(next => async context =>
        {
            try
            {
                await next(context);
                if (context.Response.StatusCode == StatusCodes.Status404NotFound && !context.Response.HasStarted && context.GetEndpoint() is null)
                {
                    await WriteAsync(context, StatusCodes.Status404NotFound, $"no such API route: {context.Request.Method} {context.Request.Path}");
                }
            }
            catch (ApiErrorException e) when (!context.Response.HasStarted)
            {
                await WriteAsync(context, e.StatusCode, e.Message);
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                var message = e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message;
                await WriteAsync(context, e.StatusCode, $"bad request: {message}");
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away; nothing to answer.
            }
            catch (Exception e) when (!context.Response.HasStarted)
            {
                logger.LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
                await WriteAsync(context, StatusCodes.Status500InternalServerError, $"internal server error: {e.Message}");
            }
        });
    }
}
