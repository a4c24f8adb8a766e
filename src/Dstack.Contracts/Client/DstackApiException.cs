using System.Net;

namespace Dstack.Contracts.Client;

/// <summary>The server answered with an error. Message is the server's text, meant for the user.</summary>
public sealed class DstackApiException(HttpStatusCode statusCode, string message) : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;
}
