using Dstack.Server.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dstack.Server.Auth;

/// <summary>Checks `Authorization: Bearer TOKEN` on every route but the version, and records who the request acts for.</summary>
public static class TokenAuthentication
{
    private const string PrincipalKey = "dstack.principal";

    public static void UseTokenAuthentication(this WebApplication app, IReadOnlyDictionary<string, Principal> tokens)
    {
        app.Use(next => context =>
        {
            if (RouteAccess.IsPublic(context.Request.Path)) return next(context);
            var header = context.Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                return ErrorResponses.WriteAsync(context, StatusCodes.Status401Unauthorized,
                    "missing API token: send `Authorization: Bearer TOKEN` (the token is in DSTACK_HOME/token)");
            }
            if (!tokens.TryGetValue(TokenFiles.Hash(header["Bearer ".Length..].Trim()), out var principal))
            {
                return ErrorResponses.WriteAsync(context, StatusCodes.Status401Unauthorized,
                    "invalid API token: use the token in DSTACK_HOME/token of this server");
            }
            if (!RouteAccess.Allows(context.Request.Path, principal.Kind))
            {
                var wanted = principal.Kind == TokenKind.User ? "a runner token" : "a user token";
                return ErrorResponses.WriteAsync(context, StatusCodes.Status401Unauthorized,
                    $"{context.Request.Path} needs {wanted}");
            }
            context.Items[PrincipalKey] = principal;
            return next(context);
        });
    }

    public static Principal Principal(this HttpContext context) =>
        context.Items[PrincipalKey] as Principal ?? throw new InvalidOperationException("the request was not authenticated");
}
