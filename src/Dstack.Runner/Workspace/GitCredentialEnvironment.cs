using System.Text;
using Dstack.Contracts.Repos;

namespace Dstack.Runner.Workspace;

/// <summary>
/// The environment that gives git a job's repository credential, so it never appears on a command line
/// (visible to every user in `ps`) nor in a log: a token becomes an HTTP Authorization header through
/// GIT_CONFIG_*; an SSH key goes to a 0600 temp file used through GIT_SSH_COMMAND, its passphrase
/// through SSH_ASKPASS. Dispose deletes the temp files.
/// </summary>
public sealed class GitCredentialEnvironment : IDisposable
{
    public const string PassphraseVariable = "DSTACK_SSH_PASSPHRASE";

    private readonly List<string> _tempFiles = [];

    public IReadOnlyDictionary<string, string> Variables { get; }

    private GitCredentialEnvironment(Dictionary<string, string> variables) => Variables = variables;

    public static GitCredentialEnvironment None { get; } = new([]);

    /// <param name="tempFolder">Where key files go: a folder only the runner's user can read.</param>
    public static GitCredentialEnvironment Create(RepoCredential? credential, string tempFolder)
    {
        if (credential is null) return None;
        switch (credential.Kind)
        {
            case RepoCredential.TokenKind when !string.IsNullOrEmpty(credential.Token):
                {
                    // Basic with the token as password: what GitHub, GitLab and Gitea all accept for HTTPS git.
                    var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:" + credential.Token));
                    return new GitCredentialEnvironment(new Dictionary<string, string>
                    {
                        ["GIT_CONFIG_COUNT"] = "1",
                        ["GIT_CONFIG_KEY_0"] = "http.extraHeader",
                        ["GIT_CONFIG_VALUE_0"] = "Authorization: Basic " + basic,
                    });
                }
            case RepoCredential.SshKind when !string.IsNullOrEmpty(credential.PrivateKey):
                return CreateSsh(credential, tempFolder);
            default:
                throw new WorkspacePreparationException($"the repository credential of kind '{credential.Kind}' has no secret; run `dstack init` again with --token or --private-key");
        }
    }

    private static GitCredentialEnvironment CreateSsh(RepoCredential credential, string tempFolder)
    {
        Directory.CreateDirectory(tempFolder);
        var id = Guid.NewGuid().ToString("N");
        var keyPath = Path.Combine(tempFolder, $"key-{id}");
        var variables = new Dictionary<string, string>
        {
            ["GIT_SSH_COMMAND"] = $"ssh -i {ShellQuote(keyPath)} -o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new",
        };
        var environment = new GitCredentialEnvironment(variables);
        var key = credential.PrivateKey!.ReplaceLineEndings("\n");
        if (!key.EndsWith('\n')) key += "\n"; // ssh refuses a key file without its final newline
        WritePrivate(keyPath, key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        environment._tempFiles.Add(keyPath);
        if (!string.IsNullOrEmpty(credential.Passphrase))
        {
            var askPass = Path.Combine(tempFolder, $"askpass-{id}");
            WritePrivate(askPass, $"#!/bin/sh\nprintf '%s\\n' \"${PassphraseVariable}\"\n",
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            environment._tempFiles.Add(askPass);
            variables["SSH_ASKPASS"] = askPass;
            variables["SSH_ASKPASS_REQUIRE"] = "force";
            variables["DISPLAY"] = ":0"; // older OpenSSH only consults SSH_ASKPASS when DISPLAY is set
            variables[PassphraseVariable] = credential.Passphrase;
        }
        return environment;
    }

    private static void WritePrivate(string path, string content, UnixFileMode mode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode };
        using var stream = new FileStream(path, options);
        stream.Write(Encoding.UTF8.GetBytes(content));
    }

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public IReadOnlyList<string> TempFiles => _tempFiles;

    public void Dispose()
    {
        // None is one instance that every slot's preparation disposes, side by side: it owns nothing, and clearing its
        // list while another slot walks it made that slot's job fail ("Collection was modified").
        if (ReferenceEquals(this, None)) return;
        foreach (var file in _tempFiles) File.Delete(file);
        _tempFiles.Clear();
    }
}
