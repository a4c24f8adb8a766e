using Dstack.Contracts;
using Microsoft.AspNetCore.Http;

namespace Dstack.Server.Auth;

/// <summary>
/// Which token a route takes: none for the version, the runner token for the runner protocol, either for blobs, else the user token.
/// Paths compare ignoring case, as ASP.NET Core's routing does: `/API/runners/lease` must not slip past with a user token.
/// </summary>
public static class RouteAccess
{
    public static bool IsPublic(PathString path) => path.Equals(ApiRoutes.Version, StringComparison.OrdinalIgnoreCase);

    public static bool Allows(PathString path, TokenKind kind)
    {
        if (path.StartsWithSegments("/api/blobs", StringComparison.OrdinalIgnoreCase)) return true;
        var runnerRoute = path.StartsWithSegments("/api/runners", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/api/runner-jobs", StringComparison.OrdinalIgnoreCase);
        return runnerRoute ? kind == TokenKind.Runner : kind == TokenKind.User;
    }
}
