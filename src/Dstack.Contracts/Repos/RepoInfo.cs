namespace Dstack.Contracts.Repos;

/// <summary>A registered repository. Never carries the credential itself, only its kind.</summary>
public sealed record RepoInfo
{
    public required string RepoUrl { get; init; }
    /// <summary>"token", "ssh" or null when the repository needs none.</summary>
    public string? CredentialKind { get; init; }
    public required DateTimeOffset RegisteredAt { get; init; }
}
