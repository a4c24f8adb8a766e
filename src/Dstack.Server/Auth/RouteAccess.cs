using Dstack.Contracts;
using Microsoft.AspNetCore.Http;

namespace Dstack.Server.Auth;

/// <summary>Which token a route takes: none for the version, the runner token for the runner protocol, either for blobs, else the user token.</summary>
public static class RouteAccess
{
    public static bool IsPublic(PathString path) => path.Equals(ApiRoutes.Version, StringComparison.Ordinal);

    public static bool Allows(PathString path, TokenKind kind)
    {
        if (path.StartsWithSegments("/api/blobs", StringComparison.Ordinal)) return true;
        var runnerRoute = path.StartsWithSegments("/api/runners", StringComparison.Ordinal)
            || path.StartsWithSegments("/api/runner-jobs", StringComparison.Ordinal);
        return runnerRoute ? kind == TokenKind.Runner : kind == TokenKind.User;
    }
}
