namespace Dstack.Server.Repos;

/// <summary>A registered repository as stored: the credential stays encrypted (see SecretBox).</summary>
public sealed record RepoRecord(string Owner, string Url, string? CredentialKind, byte[]? EncryptedCredential, DateTimeOffset RegisteredAt);
