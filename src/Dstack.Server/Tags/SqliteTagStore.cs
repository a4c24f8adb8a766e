using Dstack.Server.Errors;
using Dstack.Server.Storage;

namespace Dstack.Server.Tags;

public sealed class SqliteTagStore(SqliteDatabase db) : ITagStore
{
    public void SetTag(string owner, string runName, string tag) =>
        db.Write((connection, transaction) =>
        {
            using var find = connection.Command("SELECT id, repo_url FROM runs WHERE owner = @o AND name = @n", transaction,
                ("@o", owner), ("@n", runName));
            long runId;
            string repoUrl;
            using (var reader = find.ExecuteReader())
            {
                if (!reader.Read())
                {
                    throw ApiErrorException.NotFound($"no run named {runName}: `dstack status` lists the runs of this repository");
                }
                runId = reader.GetInt64(0);
                repoUrl = reader.GetString(1);
            }
            // Checked inside the write transaction, so the unique index runs_by_tag never has to refuse the update:
            // the user gets the name of the run that has the tag instead of a constraint error.
            if (connection.Scalar("SELECT name FROM runs WHERE owner = @o AND repo_url = @u AND tag = @t AND id <> @id", transaction,
                    ("@o", owner), ("@u", repoUrl), ("@t", tag), ("@id", runId)) is string holder)
            {
                throw ApiErrorException.Conflict(
                    $"tag {tag} is already on run {holder} of this repository: untag it first with `dstack untag {tag}`");
            }
            connection.Execute("UPDATE runs SET tag = @t WHERE id = @id", transaction, ("@t", tag), ("@id", runId));
        });

    public string? RemoveTag(string owner, string repoUrl, string tag) =>
        db.Write((connection, transaction) => connection.Scalar(
            "UPDATE runs SET tag = NULL WHERE owner = @o AND repo_url = @u AND tag = @t RETURNING name", transaction,
            ("@o", owner), ("@u", repoUrl), ("@t", tag)) as string);
}
