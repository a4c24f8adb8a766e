namespace Dstack.Contracts.Repos;

public sealed record InitRepoRequest
{
    public required string RepoUrl { get; init; }
    public RepoCredential? Credential { get; init; }
}
