using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Dstack.Contracts.Repos;
using Dstack.Contracts.Runner;
using Dstack.Runner.Tests.Support;
using Dstack.Runner.Workspace;

namespace Dstack.Runner.Tests.Workspace;

public sealed class GitCredentialTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task ATokenReachesTheRemoteAsAnAuthorizationHeader_AndNeverTheLog()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var headers = new List<string>();
        var serving = ServeNotFoundAsync(listener, headers);
        var url = $"http://127.0.0.1:{port}/team/repo.git";
        using var mirrors = new MirrorStore(_temp.Combine("mirrors"));
        var workspace = new SlotWorkspace(_temp.Combine("slots", "0"), mirrors);
        var spec = new JobSpec
        {
            RepoUrl = url,
            Credential = new RepoCredential { Kind = RepoCredential.TokenKind, Token = "s3cret-token" },
            Commit = new string('a', 40),
            Commands = ["true"],
            WorkingDir = ".",
            Environment = new Dictionary<string, string>(),
            Artifacts = [],
        };

        var error = await Assert.ThrowsAsync<WorkspacePreparationException>(() =>
            workspace.PrepareAsync(spec, new FolderBlobStore(_temp.Combine("blobs")), _temp.Combine("tmp"), _ => { }, CancellationToken.None));

        var expected = "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:s3cret-token"));
        lock (headers) Assert.Contains(headers, h => h.Equals(expected, StringComparison.OrdinalIgnoreCase));
        Assert.StartsWith($"could not fetch {url}: ", error.Reason);
        Assert.DoesNotContain("s3cret", error.Reason);
        Assert.DoesNotContain("s3cret", Encoding.UTF8.GetString(error.Log!));
        listener.Stop();
        await serving;
    }

    private static async Task ServeNotFoundAsync(TcpListener listener, List<string> headers)
    {
        try
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync();
                await using var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                while (await reader.ReadLineAsync() is { Length: > 0 } line)
                {
                    lock (headers) headers.Add(line);
                }
                await stream.WriteAsync("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            // listener stopped
        }
    }

    [Fact]
    public void AnSshKeyGoesToAPrivateTempFile_ItsPassphraseThroughAskPass_AndBothAreDeletedAfter()
    {
        var credential = new RepoCredential
        {
            Kind = RepoCredential.SshKind,
            PrivateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----",
            Passphrase = "pass phrase 'with' quotes",
        };
        var environment = GitCredentialEnvironment.Create(credential, _temp.Combine("tmp"));
        var key = environment.TempFiles[0];
        var askPass = environment.Variables["SSH_ASKPASS"];

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.EndsWith("-----END OPENSSH PRIVATE KEY-----\n", File.ReadAllText(key));
        Assert.Equal($"ssh -i '{key}' -o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new", environment.Variables["GIT_SSH_COMMAND"]);
        Assert.Equal("force", environment.Variables["SSH_ASKPASS_REQUIRE"]);
        Assert.DoesNotContain("pass phrase", File.ReadAllText(askPass)); // the script reads it from the environment
        var info = new ProcessStartInfo(askPass) { RedirectStandardOutput = true, UseShellExecute = false };
        info.Environment[GitCredentialEnvironment.PassphraseVariable] = credential.Passphrase;
        using (var process = Process.Start(info)!)
        {
            Assert.Equal(credential.Passphrase + "\n", process.StandardOutput.ReadToEnd());
            process.WaitForExit();
        }

        environment.Dispose();

        Assert.False(File.Exists(key));
        Assert.False(File.Exists(askPass));
    }

    [Fact]
    public async Task AnSshRemoteIsFetchedWithTheKey_AndTheKeyFileIsGoneAfterwards()
    {
        // Port 1 on loopback refuses at once: git runs ssh through GIT_SSH_COMMAND and reports ssh's error.
        var url = "ssh://git@127.0.0.1:1/team/repo.git";
        using var mirrors = new MirrorStore(_temp.Combine("mirrors"));
        var workspace = new SlotWorkspace(_temp.Combine("slots", "0"), mirrors);
        var spec = new JobSpec
        {
            RepoUrl = url,
            Credential = new RepoCredential { Kind = RepoCredential.SshKind, PrivateKey = "not really a key", Passphrase = "p" },
            Commit = new string('a', 40),
            Commands = ["true"],
            WorkingDir = ".",
            Environment = new Dictionary<string, string>(),
            Artifacts = [],
        };

        var error = await Assert.ThrowsAsync<WorkspacePreparationException>(() =>
            workspace.PrepareAsync(spec, new FolderBlobStore(_temp.Combine("blobs")), _temp.Combine("tmp"), _ => { }, CancellationToken.None));

        Assert.StartsWith($"could not fetch {url}: ", error.Reason);
        Assert.Contains("port 1", Encoding.UTF8.GetString(error.Log!));
        Assert.Empty(Directory.GetFiles(_temp.Combine("tmp")));
    }

    [Fact]
    public void ACredentialWithoutItsSecret_IsAClearError()
    {
        var error = Assert.Throws<WorkspacePreparationException>(() =>
            GitCredentialEnvironment.Create(new RepoCredential { Kind = RepoCredential.TokenKind }, _temp.Path));

        Assert.Contains("dstack init", error.Reason);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void TheSharedNoCredential_IsLeftUntouchedByDispose()
    {
        // Every slot preparing a job without a credential gets (and disposes) this one instance, side by side: a Dispose
        // that cleared its list while another slot's Dispose walked it made that slot's job fail ("Collection was
        // modified"), once in about a thousand jobs. The race is too narrow to provoke; what rules it out is that
        // disposing it changes nothing (the list's version, which every change bumps, stays the same).
        var list = (List<string>)GitCredentialEnvironment.None.TempFiles;
        var version = typeof(List<string>).GetField("_version", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        var before = (int)version.GetValue(list)!;
        using (GitCredentialEnvironment.Create(null, Path.GetTempPath())) { }
        Assert.Equal(before, (int)version.GetValue(list)!);
    }
}
