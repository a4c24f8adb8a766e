using Dstack.Cli.Git;
using Dstack.Cli.Hosting;
using Dstack.Cli.Terminal;
using Dstack.Contracts.Repos;

namespace Dstack.Cli.Commands;

/// <summary>
/// `dstack init [--token TOKEN | --private-key PATH [--passphrase P]]`: registers the repository's remote with the
/// server, with the credential its runners' git needs. The secret is sent once and never printed.
/// </summary>
public sealed class InitCommand(CliContext context)
{
    public sealed record Settings(string? Token, string? PrivateKey, string? Passphrase);

    public async Task<int> ExecuteAsync(Settings settings, CancellationToken ct)
    {
        var credential = CredentialFrom(settings, context.Environment.WorkingDirectory);
        var git = await GitContext.DiscoverAsync(context.Environment.WorkingDirectory, ct);
        var remote = await git.GetRemoteUrlAsync(ct);
        if (credential is null && await git.GetRemoteUrlPasswordAsync(ct) is { } embedded)
        {
            // The token written in the remote URL becomes the stored (encrypted) credential; the URL is kept without it.
            credential = new RepoCredential { Kind = RepoCredential.TokenKind, Token = embedded };
            context.Console.Error.WriteLine("the remote URL holds a token: dstack stores it encrypted as the repository's credential and keeps the URL without it");
        }
        using var client = await context.Connector.ConnectAsync(ct);
        var repo = await client.InitRepoAsync(new InitRepoRequest { RepoUrl = remote, Credential = credential }, ct);
        var how = repo.CredentialKind switch
        {
            RepoCredential.TokenKind => " with an HTTPS token",
            RepoCredential.SshKind => " with an SSH private key",
            _ => "",
        };
        context.Console.Out.WriteLine($"initialised {repo.RepoUrl}{how}: `dstack run WORKFLOW` now runs its workflows");
        return 0;
    }

    public static RepoCredential? CredentialFrom(Settings settings, string workingDirectory)
    {
        if (settings.Token is not null && settings.PrivateKey is not null)
        {
            throw new CliException("--token and --private-key exclude each other: give a token for an HTTPS remote, a private key for an SSH one");
        }
        if (settings.Passphrase is not null && settings.PrivateKey is null)
        {
            throw new CliException("--passphrase goes with --private-key PATH: it unlocks that key");
        }
        if (settings.Token is { } token)
        {
            if (string.IsNullOrWhiteSpace(token)) throw new CliException("--token is empty: give the access token for your HTTPS remote");
            return new RepoCredential { Kind = RepoCredential.TokenKind, Token = token };
        }
        if (settings.PrivateKey is { } keyPath)
        {
            var full = Path.GetFullPath(keyPath, workingDirectory);
            if (!File.Exists(full)) throw new CliException($"the private key file {full} does not exist: give the path of your SSH key (e.g. ~/.ssh/id_ed25519)");
            var key = File.ReadAllText(full);
            if (!key.Contains("PRIVATE KEY", StringComparison.Ordinal))
            {
                throw new CliException($"{full} is not a private key (no PRIVATE KEY block): give the key itself, not its .pub");
            }
            return new RepoCredential { Kind = RepoCredential.SshKind, PrivateKey = key, Passphrase = settings.Passphrase };
        }
        return null;
    }
}
