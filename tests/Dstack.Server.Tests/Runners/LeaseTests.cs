using System.Diagnostics;
using System.Net;
using Dstack.Contracts.Client;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runner;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Runners;

public sealed class LeaseTests
{
    [Fact]
    public async Task WaitingLease_WakesAsSoonAsARunIsSubmitted()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var waiting = harness.Runner.LeaseAsync(new LeaseRequest { RunnerId = runner.RunnerId, WaitMs = 30_000 });
        // The lease call is parked on the server before the run arrives.
        await Task.WhenAny(waiting, Task.Delay(300));
        Assert.False(waiting.IsCompleted);

        var clock = Stopwatch.StartNew();
        var run = await harness.SubmitAsync("encode-dataset");
        var lease = await waiting.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"lease took {clock.Elapsed} after the submission");
        Assert.Equal(run.Jobs[0].JobId, lease!.JobId);
        Assert.Equal(run.RunName, lease.RunName);
        Assert.Equal(1, lease.Attempt);
        Assert.Equal(["echo encoding"], lease.Spec.Commands);
        Assert.Equal(Workflows.RepoUrl, lease.Spec.RepoUrl);
    }

    [Fact]
    public async Task Lease_AnswersNoContent_WhenNothingIsReadyWithinTheWait()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();

        Assert.Null(await harness.LeaseAsync(runner, waitMs: 100));
    }

    [Fact]
    public async Task Lease_ByAnUnknownRunner_SaysToRegister()
    {
        await using var harness = await ServerHarness.StartAsync();

        var error = await Assert.ThrowsAsync<DstackApiException>(() =>
            harness.Runner.LeaseAsync(new LeaseRequest { RunnerId = "nobody", WaitMs = 10 }));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("register again", error.Message);
    }

    [Fact]
    public async Task Dependent_IsNotLeased_BeforeItsDependenciesAreDone()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var run = await harness.SubmitAsync("finetune-model");

        var download = (await harness.LeaseAsync(runner))!;
        var encode = (await harness.LeaseAsync(runner))!;
        var nothingYet = await harness.LeaseAsync(runner, waitMs: 100);
        await harness.FinishAsync(download);
        var stillNothing = await harness.LeaseAsync(runner, waitMs: 100);
        var waitingForLast = harness.LeaseAsync(runner, waitMs: 20_000);
        await harness.FinishAsync(encode);
        var finetune = await waitingForLast;

        Assert.Equal(["download-model", "encode-dataset"], new[] { download.Workflow, encode.Workflow });
        Assert.Null(nothingYet);
        Assert.Null(stillNothing);
        Assert.Equal("finetune-model", finetune!.Workflow);
        Assert.Equal(run.Jobs[2].JobId, finetune.JobId);
        Assert.Equal(["download-model", "encode-dataset"], finetune.Spec.Dependencies.Select(d => d.Workflow));
        Assert.True(download.FencingToken < encode.FencingToken && encode.FencingToken < finetune.FencingToken, "fencing tokens strictly increase");
    }

    [Fact]
    public async Task Lease_CarriesTheDependenciesArtifactFiles()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("finetune-model");
        var download = (await harness.LeaseAsync(runner))!;
        var encode = (await harness.LeaseAsync(runner))!;
        var blob = await harness.Runner.UploadBlobAsync(new MemoryStream("weights"u8.ToArray()));
        await harness.Runner.PutArtifactManifestAsync(download.JobId, new ArtifactManifest
        {
            FencingToken = download.FencingToken,
            Files = [new() { Artifact = "models", Path = "models/124M/weights.bin", Size = blob.Size, Sha256 = blob.Sha256 }],
        });
        await harness.FinishAsync(download);
        await harness.FinishAsync(encode);

        var finetune = (await harness.LeaseAsync(runner))!;

        var files = finetune.Spec.Dependencies.Single(d => d.Workflow == "download-model").Files;
        Assert.Equal("models/124M/weights.bin", Assert.Single(files).Path);
        Assert.Equal(blob.Sha256, files[0].Sha256);
        Assert.Empty(finetune.Spec.Dependencies.Single(d => d.Workflow == "encode-dataset").Files);
    }

    [Fact]
    public async Task ImageJob_WaitsForARunnerWithAContainerEngine_AndSaysWhy()
    {
        await using var harness = await ServerHarness.StartAsync();
        var plain = await harness.RegisterRunnerAsync();
        var run = await harness.SubmitAsync("containerised");

        var leased = await harness.LeaseAsync(plain, waitMs: 100);
        var job = (await harness.User.FindJobAsync(run.Jobs[0].JobId))!;
        var withEngine = await harness.RegisterRunnerAsync(containerEngine: "docker");
        var afterEngine = (await harness.User.FindJobAsync(run.Jobs[0].JobId))!;
        var lease = await harness.LeaseAsync(withEngine);

        Assert.Null(leased);
        Assert.Equal(JobStatus.Submitted, job.Status);
        Assert.Equal("waiting for a runner with a container engine (image python:3.11): no runner has one", job.Reason);
        Assert.Equal("waiting for a free runner slot", afterEngine.Reason);
        Assert.Equal(run.Jobs[0].JobId, lease!.JobId);
        Assert.Equal("python:3.11", lease.Spec.Image);
    }

    [Fact]
    public async Task WaitingReasons_NameTheDependencies_TheMissingGpu_AndBothNeeds()
    {
        await using var harness = await ServerHarness.StartAsync();
        await harness.RegisterRunnerAsync();

        var pipeline = await harness.SubmitAsync("finetune-model");
        var gpu = await harness.SubmitAsync("on-gpu");
        var both = await harness.SubmitAsync("gpu-container");

        Assert.Equal("waiting for download-model, encode-dataset", pipeline.Jobs[2].Reason);
        Assert.Equal("waiting for a free runner slot", pipeline.Jobs[0].Reason);
        Assert.Equal("waiting for a runner with a GPU (gpu: 1): no runner has one", gpu.Jobs[0].Reason);
        Assert.Equal(
            "waiting for a runner with a container engine (image python:3.11): no runner has one; waiting for a runner with a GPU (gpu: 1): no runner has one",
            both.Jobs[0].Reason);
    }

    [Fact]
    public async Task GpuJob_IsLeasedOnlyToARunnerWithEnoughGpus()
    {
        await using var harness = await ServerHarness.StartAsync();
        var cpuOnly = await harness.RegisterRunnerAsync();
        var withGpu = await harness.RegisterRunnerAsync(gpus: 1);
        var run = await harness.SubmitAsync("on-gpu");

        Assert.Null(await harness.LeaseAsync(cpuOnly, waitMs: 50));
        Assert.Equal(run.Jobs[0].JobId, (await harness.LeaseAsync(withGpu))!.JobId);
    }

    [Fact]
    public async Task ReRegistering_WithAKnownId_KeepsTheRunnersIdentity()
    {
        await using var harness = await ServerHarness.StartAsync();

        var first = await harness.RegisterRunnerAsync();
        var again = await harness.RegisterRunnerAsync(runnerId: first.RunnerId);
        var unknown = await harness.RegisterRunnerAsync(runnerId: "forgotten-id");

        Assert.Matches("^[a-z]+-[0-9]+$", first.Name);
        Assert.Equal(first, again);
        Assert.NotEqual(first.RunnerId, unknown.RunnerId);
        Assert.NotEqual(first.Name, unknown.Name);
    }

    [Fact]
    public async Task WaitingReason_SaysSo_WhenNoRunnerIsConnected()
    {
        await using var harness = await ServerHarness.StartAsync();

        var run = await harness.SubmitAsync("encode-dataset");

        Assert.Equal("waiting for a runner: none is connected", run.Jobs[0].Reason);
    }
}
