using System.Net;
using Dstack.Contracts;
using Dstack.Contracts.Client;
using Dstack.Contracts.Runner;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Auth;

public sealed class TokenAuthenticationTests
{
    [Fact]
    public async Task Version_AnswersWithoutAToken_AndEveryResponseCarriesTheProtocolHeader()
    {
        await using var harness = await ServerHarness.StartAsync();
        using var http = new HttpClient { BaseAddress = harness.Server.Url };

        using var version = await http.GetAsync(ApiRoutes.Version);
        using var refused = await http.GetAsync(ApiRoutes.Runs + "?repo=x");

        Assert.Equal(HttpStatusCode.OK, version.StatusCode);
        Assert.Equal(ProtocolInfo.Version.ToString(), version.Headers.GetValues(ProtocolInfo.Header).Single());
        Assert.Equal(ProtocolInfo.Version.ToString(), refused.Headers.GetValues(ProtocolInfo.Header).Single());
    }

    [Fact]
    public async Task UserRoute_IsRefusedWithoutAToken()
    {
        await using var harness = await ServerHarness.StartAsync();
        using var http = new HttpClient { BaseAddress = harness.Server.Url };

        using var response = await http.GetAsync(ApiRoutes.Runs + "?repo=x");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("missing API token", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UserRoute_IsRefusedWithAWrongToken()
    {
        await using var harness = await ServerHarness.StartAsync();
        using var client = new DstackClient(harness.Server.Url, "not-the-token");

        var error = await Assert.ThrowsAsync<DstackApiException>(() => client.ListRunsAsync("x"));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Contains("invalid API token", error.Message);
    }

    [Theory]
    [InlineData("/API/runners/lease")]
    [InlineData("/Api/Runners/Lease")]
    [InlineData("/api/RUNNER-JOBS/0123456789ab/outcome")]
    public async Task UserToken_IsRefusedOnRunnerRoutes_WhateverTheCaseOfThePath(string path)
    {
        await using var harness = await ServerHarness.StartAsync();
        using var http = new HttpClient { BaseAddress = harness.Server.Url };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", harness.Server.UserToken);

        using var response = await http.PostAsync(path, new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RunnerToken_IsRefusedOnUserRoutes_AndUserToken_OnRunnerRoutes()
    {
        await using var harness = await ServerHarness.StartAsync();

        var asRunner = await Assert.ThrowsAsync<DstackApiException>(() => harness.Runner.ListRunsAsync("x"));
        var asUser = await Assert.ThrowsAsync<DstackApiException>(() => harness.User.RegisterRunnerAsync(
            new RegisterRunnerRequest { Slots = 1, Capabilities = new RunnerCapabilities() }));

        Assert.Equal(HttpStatusCode.Unauthorized, asRunner.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, asUser.StatusCode);
    }

    [Fact]
    public async Task Tokens_AreFilesOnlyTheUserCanRead_KeptAcrossRestarts()
    {
        await using var harness = await ServerHarness.StartAsync();
        var userToken = harness.Server.UserToken;

        await harness.RestartAsync();

        Assert.Equal(userToken, harness.Server.UserToken);
        Assert.Equal(userToken, File.ReadAllText(Path.Combine(harness.Home, "token")).Trim());
        Assert.NotEqual(userToken, harness.Server.RunnerToken);
        foreach (var file in new[] { "token", "runner-token", "secret.key" })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(harness.Home, file)));
        }
        await harness.User.ListRunsAsync("x");
    }
}
