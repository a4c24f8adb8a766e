using Microsoft.AspNetCore.Http;

namespace Dstack.Server.Errors;

/// <summary>A request the server refuses, with the HTTP status and a message meant for the user (sent as ApiError).</summary>
public sealed class ApiErrorException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public static ApiErrorException BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);
    public static ApiErrorException NotFound(string message) => new(StatusCodes.Status404NotFound, message);
    /// <summary>A stale fencing token or a transition the job state machine refuses.</summary>
    public static ApiErrorException Conflict(string message) => new(StatusCodes.Status409Conflict, message);
}
