using System.Net;
using Dstack.Contracts.Client;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Repos;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Runs;

public sealed class RunSubmissionTests
{
    [Fact]
    public async Task Submit_CreatesOneJobPerWorkflowOfTheClosure_DependenciesFirst()
    {
        await using var harness = await ServerHarness.StartAsync();

        var run = await harness.SubmitAsync("finetune-model", new Dictionary<string, string> { ["model"] = "355M" });

        Assert.Matches("^[a-z]+-[a-z]+-[0-9]+$", run.RunName);
        Assert.Equal(JobStatus.Submitted, run.Status);
        Assert.Equal(["download-model", "encode-dataset", "finetune-model"], run.Jobs.Select(j => j.Workflow));
        Assert.All(run.Jobs, j => Assert.Matches("^[0-9a-f]{12}$", j.JobId));
        Assert.Equal(run.Jobs.Take(2).Select(j => j.JobId).Order(), run.Jobs[2].DependsOn.Order());
        Assert.Equal("355M", run.Variables["model"]);
        Assert.All(run.Jobs, j => Assert.Equal("355M", j.Variables["model"]));
        Assert.Equal(Json.Of(run), Json.Of((await harness.User.FindRunAsync(run.RunName))!));
        Assert.Equal(Json.Of(run.Jobs[2]), Json.Of((await harness.User.FindJobAsync(run.Jobs[2].JobId))!));
    }

    [Fact]
    public async Task RunNames_AreUniqueOnTheServer()
    {
        await using var harness = await ServerHarness.StartAsync();

        var names = new List<string>();
        for (var i = 0; i < 20; i++) names.Add((await harness.SubmitAsync("encode-dataset")).RunName);

        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public async Task Submit_InAnUninitialisedRepository_SaysToRunInit()
    {
        await using var harness = await ServerHarness.StartAsync();

        var error = await Assert.ThrowsAsync<DstackApiException>(() => harness.User.SubmitRunAsync(Workflows.Run("download-model")));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal($"repository {Workflows.RepoUrl} is not initialised: run `dstack init` in it first", error.Message);
    }

    [Fact]
    public async Task Submit_WithInvalidWorkflowFiles_AnswersEveryDiagnostic()
    {
        await using var harness = await ServerHarness.StartAsync();
        await harness.User.InitRepoAsync(new InitRepoRequest { RepoUrl = Workflows.RepoUrl });
        const string broken = """
            workflows:
              - name: a
                commands: [echo a]
                depends-on: [missing]
              - name: b
                colour: blue
                commands: [echo b]
            """;

        var error = await Assert.ThrowsAsync<DstackApiException>(() =>
            harness.User.SubmitRunAsync(Workflows.Run("a", workflows: broken)));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains(".dstack/workflows.yaml:4:", error.Message);
        Assert.Contains("missing", error.Message);
        Assert.Contains("colour", error.Message);
        Assert.Empty(await harness.User.ListRunsAsync(Workflows.RepoUrl));
    }

    [Fact]
    public async Task Submit_OfAnUnknownWorkflow_IsRefusedWithThePlannersMessage()
    {
        await using var harness = await ServerHarness.StartAsync();

        var error = await Assert.ThrowsAsync<DstackApiException>(() => harness.SubmitAsync("no-such-workflow"));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("unknown workflow 'no-such-workflow'", error.Message);
    }

    [Fact]
    public async Task Submit_WithATaggedDependencyOnAnUnknownTag_SaysNoRunCarriesTheTag()
    {
        await using var harness = await ServerHarness.StartAsync();

        var error = await Assert.ThrowsAsync<DstackApiException>(() => harness.SubmitAsync("from-tag"));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(
            "workflow from-tag depends on download-model:best, but no run of this repository is tagged best: "
            + "`dstack status` shows the tags; tag a run with `dstack tag RUN best`", error.Message);
        Assert.Empty(await harness.User.ListRunsAsync(Workflows.RepoUrl));
    }

    [Fact]
    public async Task Submit_WithADiffBlobThatWasNotUploaded_IsRefused()
    {
        await using var harness = await ServerHarness.StartAsync();
        await harness.User.InitRepoAsync(new InitRepoRequest { RepoUrl = Workflows.RepoUrl });

        var error = await Assert.ThrowsAsync<DstackApiException>(() =>
            harness.User.SubmitRunAsync(Workflows.Run("download-model") with { DiffBlob = new string('b', 64) }));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("upload it", error.Message);
    }

    [Fact]
    public async Task UnknownRunAndJob_AreNotFound()
    {
        await using var harness = await ServerHarness.StartAsync();

        Assert.Null(await harness.User.FindRunAsync("no-such-run-1"));
        Assert.Null(await harness.User.FindJobAsync("0123456789ab"));
        var error = await Assert.ThrowsAsync<DstackApiException>(() => harness.User.GetJobArtifactsAsync("0123456789ab"));
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("no job with id 0123456789ab", error.Message);
    }
}
