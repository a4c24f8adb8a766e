using Dstack.Contracts;
using Dstack.Contracts.Repos;
using Dstack.Server.Auth;
using Dstack.Server.Errors;
using Dstack.Server.Repos;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dstack.Server.Endpoints;

/// <summary>`dstack init`: register a repository and the credential its runners' git needs. The credential is never sent back.</summary>
public static class RepoEndpoints
{
    public static void MapRepoEndpoints(this WebApplication app)
    {
        app.MapPost(ApiRoutes.Repos, (HttpContext context, InitRepoRequest request, IRepoStore repos, RepoCredentials credentials, TimeProvider time) =>
        {
            if (string.IsNullOrWhiteSpace(request.RepoUrl)) throw ApiErrorException.BadRequest("the repository URL is empty: run `dstack init` in a repository with a remote");
            if (request.Credential is { } credential) RepoCredentials.Validate(credential);
            var saved = repos.Save(new RepoRecord(
                context.Principal().Owner,
                request.RepoUrl,
                request.Credential?.Kind,
                request.Credential is null ? null : credentials.Seal(request.RepoUrl, request.Credential),
                time.GetUtcNow()));
            return TypedResults.Json(ToInfo(saved), DstackJsonContext.Default.RepoInfo);
        });

        app.MapGet(ApiRoutes.Repos, (HttpContext context, string? url, IRepoStore repos) =>
        {
            if (string.IsNullOrWhiteSpace(url)) throw ApiErrorException.BadRequest("query parameter `url` (the repository URL) is required");
            var repo = repos.Find(context.Principal().Owner, url)
                ?? throw ApiErrorException.NotFound($"repository {url} is not initialised: run `dstack init` in it first");
            return TypedResults.Json(ToInfo(repo), DstackJsonContext.Default.RepoInfo);
        });
    }

    private static RepoInfo ToInfo(RepoRecord repo) =>
        new() { RepoUrl = repo.Url, CredentialKind = repo.CredentialKind, RegisteredAt = repo.RegisteredAt };
}
