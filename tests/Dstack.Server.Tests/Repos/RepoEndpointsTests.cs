using System.Net;
using System.Text;
using Dstack.Contracts;
using Dstack.Contracts.Client;
using Dstack.Contracts.Repos;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Repos;

public sealed class RepoEndpointsTests
{
    private const string Secret = "ghp_very-secret-token-value-1234";

    [Fact]
    public async Task InitialisedRepo_IsFound_AndAnUnknownOneIsNot()
    {
        await using var harness = await ServerHarness.StartAsync();

        var info = await harness.User.InitRepoAsync(new InitRepoRequest { RepoUrl = Workflows.RepoUrl });

        Assert.Equal(Workflows.RepoUrl, info.RepoUrl);
        Assert.Null(info.CredentialKind);
        Assert.Equal(info, await harness.User.FindRepoAsync(Workflows.RepoUrl));
        Assert.Null(await harness.User.FindRepoAsync("https://example.com/other.git"));
    }

    [Fact]
    public async Task Credential_IsEncryptedAtRest_NeverListed_AndHandedOnlyToTheLeasingRunner()
    {
        await using var harness = await ServerHarness.StartAsync();
        var url = "https://example.com/private.git";
        await harness.User.InitRepoAsync(new InitRepoRequest
        {
            RepoUrl = url,
            Credential = new RepoCredential { Kind = RepoCredential.TokenKind, Token = Secret },
        });

        using var http = new HttpClient { BaseAddress = harness.Server.Url };
        http.DefaultRequestHeaders.Authorization = new("Bearer", harness.Server.UserToken);
        var listed = await http.GetStringAsync($"{ApiRoutes.Repos}?url={Uri.EscapeDataString(url)}");
        await harness.User.SubmitRunAsync(Workflows.Run("download-model", url));
        var runner = await harness.RegisterRunnerAsync();
        var lease = await harness.LeaseAsync(runner);

        Assert.Contains("\"credentialKind\":\"token\"", listed);
        Assert.DoesNotContain(Secret, listed);
        Assert.Equal(Secret, lease!.Spec.Credential!.Token);
        foreach (var file in Directory.GetFiles(harness.Home, "state.db*"))
        {
            Assert.DoesNotContain(Secret, Encoding.Latin1.GetString(File.ReadAllBytes(file)));
        }
    }

    [Fact]
    public async Task UnknownCredentialKind_IsRefused()
    {
        await using var harness = await ServerHarness.StartAsync();

        var error = await Assert.ThrowsAsync<DstackApiException>(() => harness.User.InitRepoAsync(new InitRepoRequest
        {
            RepoUrl = Workflows.RepoUrl,
            Credential = new RepoCredential { Kind = "password", Token = "x" },
        }));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("unknown credential kind 'password'", error.Message);
    }
}
