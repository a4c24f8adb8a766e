using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dstack.Contracts;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Hosting;

public sealed class ErrorAnswerTests
{
    [Fact]
    public async Task MalformedJsonBody_IsABadRequest_WithAnApiError()
    {
        await using var harness = await ServerHarness.StartAsync();
        using var http = new HttpClient { BaseAddress = harness.Server.Url };
        http.DefaultRequestHeaders.Authorization = new("Bearer", harness.Server.UserToken);

        using var response = await http.PostAsync(ApiRoutes.Runs, new StringContent("{\"repoUrl\": 12", Encoding.UTF8, "application/json"));
        var error = await response.Content.ReadFromJsonAsync(DstackJsonContext.Default.ApiError);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("bad request:", error!.Error);
    }

    [Fact]
    public async Task UnknownRoute_IsNotFound_WithAnApiError()
    {
        await using var harness = await ServerHarness.StartAsync();
        using var http = new HttpClient { BaseAddress = harness.Server.Url };
        http.DefaultRequestHeaders.Authorization = new("Bearer", harness.Server.UserToken);

        using var response = await http.GetAsync("/api/nothing-here");
        var error = await response.Content.ReadFromJsonAsync(DstackJsonContext.Default.ApiError);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("no such API route: GET /api/nothing-here", error!.Error);
    }
}
