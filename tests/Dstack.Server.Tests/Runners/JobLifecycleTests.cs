using System.Net;
using Dstack.Contracts.Client;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runner;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Runners;

public sealed class JobLifecycleTests
{
    [Fact]
    public async Task Job_GoesRunningUploadingDone_AndTheRunWithIt()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var run = await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;

        await harness.Runner.ReportProgressAsync(lease.JobId, new JobProgressReport { FencingToken = lease.FencingToken, Status = JobStatus.Running });
        var running = (await harness.User.FindRunAsync(run.RunName))!;
        await harness.Runner.ReportProgressAsync(lease.JobId, new JobProgressReport { FencingToken = lease.FencingToken, Status = JobStatus.Uploading });
        var uploading = (await harness.User.FindJobAsync(lease.JobId))!;
        await harness.FinishAsync(lease);
        var done = (await harness.User.FindRunAsync(run.RunName))!;

        Assert.Equal(JobStatus.Running, running.Status);
        Assert.Equal(runner.Name, running.Jobs[0].Runner);
        Assert.NotNull(running.Jobs[0].StartedAt);
        Assert.Equal(JobStatus.Uploading, uploading.Status);
        Assert.Equal(JobStatus.Done, done.Status);
        Assert.Equal(0, done.Jobs[0].ExitCode);
        Assert.NotNull(done.Jobs[0].FinishedAt);
        Assert.Null(done.Jobs[0].Reason);
    }

    [Fact]
    public async Task FailedJob_FailsItsWaitingDependents_Transitively_WithTheReason()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        const string chain = """
            workflows:
              - name: a
                commands: [exit 3]
              - name: b
                depends-on: [a]
                commands: [echo b]
              - name: c
                depends-on: [b]
                commands: [echo c]
              - name: side
                commands: [echo side]
              - name: all
                depends-on: [c, side]
                commands: [echo all]
            """;
        await harness.User.InitRepoAsync(new() { RepoUrl = Workflows.RepoUrl });
        var run = await harness.User.SubmitRunAsync(Workflows.Run("all", workflows: chain));
        var a = (await harness.LeaseAsync(runner))!;
        var side = (await harness.LeaseAsync(runner))!;

        await harness.FinishAsync(a, JobStatus.Failed, "exit code 3", 3);
        var afterFailure = (await harness.User.FindRunAsync(run.RunName))!;
        await harness.FinishAsync(side);
        var final = (await harness.User.FindRunAsync(run.RunName))!;

        var byName = afterFailure.Jobs.ToDictionary(j => j.Workflow);
        Assert.Equal(JobStatus.Failed, byName["a"].Status);
        Assert.Equal("exit code 3", byName["a"].Reason);
        Assert.Equal(3, byName["a"].ExitCode);
        Assert.Equal((JobStatus.Failed, "dependency a failed"), (byName["b"].Status, byName["b"].Reason));
        Assert.Equal((JobStatus.Failed, "dependency b failed"), (byName["c"].Status, byName["c"].Reason));
        Assert.Equal((JobStatus.Failed, "dependency c failed"), (byName["all"].Status, byName["all"].Reason));
        Assert.Equal(JobStatus.Running, byName["side"].Status);
        Assert.Equal(JobStatus.Running, afterFailure.Status);
        Assert.Equal(JobStatus.Failed, final.Status);
        Assert.Null(await harness.LeaseAsync(runner, waitMs: 50));
    }

    [Fact]
    public async Task ReportWithAStaleFencingToken_IsRefusedWithConflict()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;
        var stale = lease.FencingToken - 1;

        var progress = await Assert.ThrowsAsync<DstackApiException>(() => harness.Runner.ReportProgressAsync(lease.JobId,
            new JobProgressReport { FencingToken = stale, Status = JobStatus.Uploading }));
        var logs = await Assert.ThrowsAsync<DstackApiException>(() => harness.Runner.AppendLogsAsync(lease.JobId,
            new LogAppendRequest { FencingToken = stale, Attempt = 1, Chunks = [] }));
        var artifacts = await Assert.ThrowsAsync<DstackApiException>(() => harness.Runner.PutArtifactManifestAsync(lease.JobId,
            new ArtifactManifest { FencingToken = stale, Files = [] }));
        var outcome = await Assert.ThrowsAsync<DstackApiException>(() => harness.Runner.ReportOutcomeAsync(lease.JobId,
            new JobOutcome { FencingToken = stale, Status = JobStatus.Done }));

        Assert.All(new[] { progress, logs, artifacts, outcome }, e => Assert.Equal(HttpStatusCode.Conflict, e.StatusCode));
        Assert.Contains("stale lease", outcome.Message);
        Assert.Equal(JobStatus.Running, (await harness.User.FindJobAsync(lease.JobId))!.Status);
    }

    [Fact]
    public async Task TransitionTheStateMachineRefuses_IsAConflict_AndChangesNothing()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;
        await harness.FinishAsync(lease, JobStatus.Failed, "exit code 1", 1);

        var toDone = await Assert.ThrowsAsync<DstackApiException>(() => harness.FinishAsync(lease));
        var toUploading = await Assert.ThrowsAsync<DstackApiException>(() => harness.Runner.ReportProgressAsync(lease.JobId,
            new JobProgressReport { FencingToken = lease.FencingToken, Status = JobStatus.Uploading }));
        await harness.FinishAsync(lease, JobStatus.Failed, "exit code 1", 1);

        Assert.Equal(HttpStatusCode.Conflict, toDone.StatusCode);
        Assert.Equal($"job {lease.JobId} is FAILED: it can't become DONE", toDone.Message);
        Assert.Equal(HttpStatusCode.Conflict, toUploading.StatusCode);
        Assert.Equal(JobStatus.Failed, (await harness.User.FindJobAsync(lease.JobId))!.Status);
    }

    [Fact]
    public async Task ProgressToAFinalStatus_IsABadRequest()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;

        var error = await Assert.ThrowsAsync<DstackApiException>(() => harness.Runner.ReportProgressAsync(lease.JobId,
            new JobProgressReport { FencingToken = lease.FencingToken, Status = JobStatus.Done }));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("outcome", error.Message);
    }

    [Fact]
    public async Task Heartbeat_RevokesJobsTheRunnerDoesNotHold()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("finetune-model");
        var held = (await harness.LeaseAsync(runner))!;
        var finished = (await harness.LeaseAsync(runner))!;
        await harness.FinishAsync(finished);

        var response = await harness.Runner.HeartbeatAsync(new HeartbeatRequest
        {
            RunnerId = runner.RunnerId,
            Jobs = [new(held.JobId, held.FencingToken), new(finished.JobId, finished.FencingToken), new("0123456789ab", 1), new(held.JobId, held.FencingToken + 100)],
        });

        Assert.Equal([finished.JobId, "0123456789ab", held.JobId], response.Revoked);
    }

    [Fact]
    public async Task Heartbeat_OfAnUnknownRunner_IsNotFound()
    {
        await using var harness = await ServerHarness.StartAsync();

        var error = await Assert.ThrowsAsync<DstackApiException>(() => harness.Runner.HeartbeatAsync(new HeartbeatRequest { RunnerId = "ghost" }));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task ArtifactManifest_ReplacesTheFiles_AndKeepsMissingAndPartial()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("download-model");
        var lease = (await harness.LeaseAsync(runner))!;
        var one = await harness.Runner.UploadBlobAsync(new MemoryStream("one"u8.ToArray()));
        var two = await harness.Runner.UploadBlobAsync(new MemoryStream("two"u8.ToArray()));

        await harness.Runner.PutArtifactManifestAsync(lease.JobId, new ArtifactManifest
        {
            FencingToken = lease.FencingToken,
            Files = [new() { Artifact = "models", Path = "models/one", Size = one.Size, Sha256 = one.Sha256 }],
        });
        await harness.Runner.PutArtifactManifestAsync(lease.JobId, new ArtifactManifest
        {
            FencingToken = lease.FencingToken,
            Files = [new() { Artifact = "models", Path = "models/two", Size = two.Size, Sha256 = two.Sha256, Mode = Convert.ToInt32("755", 8) }],
            Missing = ["samples"],
            Partial = true,
        });
        await harness.FinishAsync(lease, JobStatus.Failed, "artifact samples does not exist");
        var artifacts = await harness.User.GetJobArtifactsAsync(lease.JobId);

        Assert.Equal("download-model", artifacts.Workflow);
        var file = Assert.Single(artifacts.Files);
        Assert.Equal(("models/two", two.Sha256, Convert.ToInt32("755", 8)), (file.Path, file.Sha256, file.Mode));
        Assert.Equal(["samples"], artifacts.Missing);
        Assert.True(artifacts.Partial);
        Assert.True((await harness.User.FindJobAsync(lease.JobId))!.ArtifactsPartial);
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("/etc/passwd")]
    [InlineData("models/../../x")]
    public async Task ArtifactManifest_WithAPathOutOfTheWorkingDir_IsRefused(string path)
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("download-model");
        var lease = (await harness.LeaseAsync(runner))!;
        var blob = await harness.Runner.UploadBlobAsync(new MemoryStream("x"u8.ToArray()));

        var error = await Assert.ThrowsAsync<DstackApiException>(() => harness.Runner.PutArtifactManifestAsync(lease.JobId, new ArtifactManifest
        {
            FencingToken = lease.FencingToken,
            Files = [new() { Artifact = "models", Path = path, Size = blob.Size, Sha256 = blob.Sha256 }],
        }));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public async Task AnOutcomeCarryingTheManifest_StoresBoth_AndItsReplayChangesNothing()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("download-model");
        var lease = (await harness.LeaseAsync(runner))!;
        var blob = await harness.Runner.UploadBlobAsync(new MemoryStream("weights"u8.ToArray()));
        var outcome = new JobOutcome
        {
            FencingToken = lease.FencingToken,
            Status = JobStatus.Done,
            ExitCode = 0,
            Artifacts = new ArtifactManifest
            {
                FencingToken = lease.FencingToken,
                Files = [new() { Artifact = "models", Path = "models/model.bin", Size = blob.Size, Sha256 = blob.Sha256 }],
            },
        };

        await harness.Runner.ReportOutcomeAsync(lease.JobId, outcome);
        await harness.Runner.ReportOutcomeAsync(lease.JobId, outcome); // its answer was lost: sent again

        Assert.Equal(JobStatus.Done, (await harness.User.FindJobAsync(lease.JobId))!.Status);
        var artifacts = await harness.User.GetJobArtifactsAsync(lease.JobId);
        Assert.Equal(("models/model.bin", blob.Sha256), (Assert.Single(artifacts.Files).Path, artifacts.Files[0].Sha256));
        Assert.False(artifacts.Partial);
    }

    [Fact]
    public async Task AnOutcomeWhoseManifestNamesContentNotStored_IsRefused_AndTheJobKeepsRunning()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("download-model");
        var lease = (await harness.LeaseAsync(runner))!;
        var missing = new string('d', 64);

        var error = await Assert.ThrowsAsync<DstackApiException>(() => harness.Runner.ReportOutcomeAsync(lease.JobId, new JobOutcome
        {
            FencingToken = lease.FencingToken,
            Status = JobStatus.Done,
            Artifacts = new ArtifactManifest
            {
                FencingToken = lease.FencingToken,
                Files = [new() { Artifact = "models", Path = "models/model.bin", Size = 1, Sha256 = missing }],
            },
        }));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("is not stored", error.Message);
        Assert.Equal(JobStatus.Running, (await harness.User.FindJobAsync(lease.JobId))!.Status);
    }
}
