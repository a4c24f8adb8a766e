namespace Dstack.Server.Auth;

/// <summary>API tokens, stored only as SHA-256 hashes.</summary>
public interface ITokenStore
{
    void Save(string tokenHash, Principal principal, DateTimeOffset createdAt);

    IReadOnlyDictionary<string, Principal> LoadAll();
}
