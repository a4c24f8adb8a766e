using Dstack.Server.Storage;

namespace Dstack.Server.Auth;

public sealed class SqliteTokenStore(SqliteDatabase db) : ITokenStore
{
    public void Save(string tokenHash, Principal principal, DateTimeOffset createdAt)
    {
        db.Write((connection, transaction) => connection.Execute(
            "INSERT OR IGNORE INTO api_tokens (token_hash, kind, owner, created_at) VALUES (@h, @k, @o, @t)",
            transaction,
            ("@h", tokenHash), ("@k", principal.Kind.ToString().ToLowerInvariant()), ("@o", principal.Owner), ("@t", DbTime.ToDb(createdAt))));
    }

    public IReadOnlyDictionary<string, Principal> LoadAll()
    {
        using var connection = db.Open();
        using var command = connection.Command("SELECT token_hash, kind, owner FROM api_tokens", null);
        using var reader = command.ExecuteReader();
        var result = new Dictionary<string, Principal>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var kind = reader.GetString(1) == "runner" ? TokenKind.Runner : TokenKind.User;
            result[reader.GetString(0)] = new Principal(reader.GetString(2), kind);
        }
        return result;
    }
}
