using System.Text;
using System.Text.Json;
using Dstack.Contracts;
using Dstack.Contracts.Repos;
using Dstack.Server.Errors;
using Dstack.Server.Secrets;

namespace Dstack.Server.Repos;

/// <summary>Seals a repository credential for storage and opens it for the runner that executes a job of the repository.</summary>
public sealed class RepoCredentials(SecretBox box)
{
    public static void Validate(RepoCredential credential)
    {
        switch (credential.Kind)
        {
            case RepoCredential.TokenKind when string.IsNullOrEmpty(credential.Token):
                throw ApiErrorException.BadRequest("a `token` credential needs its token (dstack init --token TOKEN)");
            case RepoCredential.SshKind when string.IsNullOrEmpty(credential.PrivateKey):
                throw ApiErrorException.BadRequest("an `ssh` credential needs the private key (dstack init --private-key PATH)");
            case RepoCredential.TokenKind or RepoCredential.SshKind:
                return;
            default:
                throw ApiErrorException.BadRequest($"unknown credential kind '{credential.Kind}': use `token` or `ssh`");
        }
    }

    public byte[] Seal(string repoUrl, RepoCredential credential) =>
        box.Encrypt(JsonSerializer.SerializeToUtf8Bytes(credential, DstackJsonContext.Default.RepoCredential), Encoding.UTF8.GetBytes(repoUrl));

    public RepoCredential? Open(RepoRecord repo) =>
        repo.EncryptedCredential is null
            ? null
            : JsonSerializer.Deserialize(box.Decrypt(repo.EncryptedCredential, Encoding.UTF8.GetBytes(repo.Url)), DstackJsonContext.Default.RepoCredential);
}
