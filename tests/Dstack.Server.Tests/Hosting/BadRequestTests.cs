using System.Net;
using System.Net.Http.Json;
using Dstack.Contracts;
using Dstack.Contracts.Client;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Repos;
using Dstack.Contracts.Runner;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Hosting;

/// <summary>Requests the server refuses with a 400 and a message that says what to fix.</summary>
public sealed class BadRequestTests
{
    private static async Task<string> RefusedAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<DstackApiException>(call);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        return error.Message;
    }

    [Fact]
    public async Task RepoInit_WithoutAUrlOrWithAnIncompleteCredential_IsRefused()
    {
        await using var harness = await ServerHarness.StartAsync();

        Assert.Contains("URL is empty", await RefusedAsync(() => harness.User.InitRepoAsync(new InitRepoRequest { RepoUrl = " " })));
        Assert.Contains("needs its token", await RefusedAsync(() => harness.User.InitRepoAsync(new InitRepoRequest
        {
            RepoUrl = Workflows.RepoUrl,
            Credential = new RepoCredential { Kind = RepoCredential.TokenKind },
        })));
        Assert.Contains("needs the private key", await RefusedAsync(() => harness.User.InitRepoAsync(new InitRepoRequest
        {
            RepoUrl = Workflows.RepoUrl,
            Credential = new RepoCredential { Kind = RepoCredential.SshKind },
        })));
    }

    [Fact]
    public async Task RepoInitAgain_ReplacesTheCredential_AndKeepsTheRegistrationTime()
    {
        await using var harness = await ServerHarness.StartAsync();
        var first = await harness.User.InitRepoAsync(new InitRepoRequest { RepoUrl = Workflows.RepoUrl });

        var second = await harness.User.InitRepoAsync(new InitRepoRequest
        {
            RepoUrl = Workflows.RepoUrl,
            Credential = new RepoCredential { Kind = RepoCredential.SshKind, PrivateKey = "-----BEGIN OPENSSH PRIVATE KEY-----", Passphrase = "pw" },
        });
        await harness.User.SubmitRunAsync(Workflows.Run("encode-dataset"));
        var lease = (await harness.LeaseAsync(await harness.RegisterRunnerAsync()))!;

        Assert.Equal("ssh", second.CredentialKind);
        Assert.Equal(first.RegisteredAt, second.RegisteredAt);
        Assert.Equal(("-----BEGIN OPENSSH PRIVATE KEY-----", "pw"), (lease.Spec.Credential!.PrivateKey, lease.Spec.Credential.Passphrase));
    }

    [Fact]
    public async Task QueriesWithoutTheirRequiredParameter_AreRefused()
    {
        await using var harness = await ServerHarness.StartAsync();
        using var http = new HttpClient { BaseAddress = harness.Server.Url };
        http.DefaultRequestHeaders.Authorization = new("Bearer", harness.Server.UserToken);

        using var runs = await http.GetAsync(ApiRoutes.Runs);
        using var repos = await http.GetAsync(ApiRoutes.Repos);

        Assert.Equal(HttpStatusCode.BadRequest, runs.StatusCode);
        Assert.Contains("`repo`", (await runs.Content.ReadFromJsonAsync(DstackJsonContext.Default.ApiError))!.Error);
        Assert.Equal(HttpStatusCode.BadRequest, repos.StatusCode);
        Assert.Contains("`url`", (await repos.Content.ReadFromJsonAsync(DstackJsonContext.Default.ApiError))!.Error);
    }

    [Fact]
    public async Task RunnerWithoutSlots_IsRefused()
    {
        await using var harness = await ServerHarness.StartAsync();

        var message = await RefusedAsync(() => harness.Runner.RegisterRunnerAsync(new RegisterRunnerRequest { Slots = 0, Capabilities = new() }));

        Assert.Contains("at least one slot", message);
    }

    [Fact]
    public async Task OutcomeOtherThanDoneOrFailed_AndArtifactsWhoseBlobsWereNotUploaded_AreRefused()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("download-model");
        var lease = (await harness.LeaseAsync(runner))!;

        var outcome = await RefusedAsync(() => harness.Runner.ReportOutcomeAsync(lease.JobId,
            new JobOutcome { FencingToken = lease.FencingToken, Status = JobStatus.Running }));
        var artifacts = await RefusedAsync(() => harness.Runner.PutArtifactManifestAsync(lease.JobId, new ArtifactManifest
        {
            FencingToken = lease.FencingToken,
            Files = [new() { Artifact = "models", Path = "models/a", Size = 1, Sha256 = new string('c', 64) }],
        }));

        Assert.Contains("DONE or FAILED", outcome);
        Assert.Contains("upload its blob first", artifacts);
        Assert.Equal(JobStatus.Running, (await harness.User.FindJobAsync(lease.JobId))!.Status);
    }
}
