namespace Dstack.Contracts.Repos;

/// <summary>
/// How the runners' git reaches a repository. Sent once by `dstack init`, stored encrypted,
/// handed only to the runner that executes a job of that repository, never listed.
/// </summary>
public sealed record RepoCredential
{
    /// <summary>"token" (HTTPS) or "ssh" (private key).</summary>
    public required string Kind { get; init; }
    public string? Token { get; init; }
    public string? PrivateKey { get; init; }
    public string? Passphrase { get; init; }

    public const string TokenKind = "token";
    public const string SshKind = "ssh";
}
