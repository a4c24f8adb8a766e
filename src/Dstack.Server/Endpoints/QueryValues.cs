using System.Globalization;
using Dstack.Server.Errors;

namespace Dstack.Server.Endpoints;

/// <summary>Query-string values parsed with messages that say what is wrong.</summary>
public static class QueryValues
{
    public static DateTimeOffset? Since(string? since)
    {
        if (string.IsNullOrEmpty(since)) return null;
        return DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw ApiErrorException.BadRequest($"since={since} is not an ISO 8601 time (e.g. 2026-11-25T10:00:00Z)");
    }
}
