using Dstack.Server.Storage;

namespace Dstack.Server.Repos;

public sealed class SqliteRepoStore(SqliteDatabase db) : IRepoStore
{
    public RepoRecord Save(RepoRecord repo)
    {
        // The first registration time is kept; the credential is whatever the last `dstack init` gave.
        db.Write((connection, transaction) => connection.Execute(
            """
            INSERT INTO repos (owner, url, credential_kind, credential, registered_at) VALUES (@o, @u, @k, @c, @t)
            ON CONFLICT (owner, url) DO UPDATE SET credential_kind = excluded.credential_kind, credential = excluded.credential
            """,
            transaction,
            ("@o", repo.Owner), ("@u", repo.Url), ("@k", repo.CredentialKind), ("@c", repo.EncryptedCredential), ("@t", DbTime.ToDb(repo.RegisteredAt))));
        return Find(repo.Owner, repo.Url)!;
    }

    public RepoRecord? Find(string owner, string url)
    {
        using var connection = db.Open();
        using var command = connection.Command(
            "SELECT credential_kind, credential, registered_at FROM repos WHERE owner = @o AND url = @u", null, ("@o", owner), ("@u", url));
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        return new RepoRecord(owner, url, reader.GetNullableString(0), reader.IsDBNull(1) ? null : (byte[])reader.GetValue(1), DbTime.FromDb(reader.GetInt64(2)));
    }
}
