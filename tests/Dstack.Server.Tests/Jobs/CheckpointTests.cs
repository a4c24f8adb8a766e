using System.Net;
using Dstack.Contracts.Artifacts;
using Dstack.Contracts.Client;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runner;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Jobs;

public sealed class CheckpointTests
{
    private static async Task<ArtifactFile> UploadAsync(ServerHarness harness, string path, string content)
    {
        var blob = await harness.Runner.UploadBlobAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)));
        return new ArtifactFile { Artifact = "dataset", Path = path, Size = blob.Size, Sha256 = blob.Sha256 };
    }

    private static Task CheckpointAsync(ServerHarness harness, JobLease lease, params ArtifactFile[] files) =>
        harness.Runner.PutArtifactManifestAsync(lease.JobId, new ArtifactManifest { FencingToken = lease.FencingToken, Files = files, Checkpoint = true });

    [Fact]
    public async Task Checkpoint_ReplacesTheStoredFiles_WithoutAStatusChange_WhileRunningUploadingAndStopping()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;
        var one = await UploadAsync(harness, "dataset/count", "1");
        var two = await UploadAsync(harness, "dataset/count", "2");
        var three = await UploadAsync(harness, "dataset/count", "3");

        await CheckpointAsync(harness, lease, one);
        var running = (await harness.User.FindJobAsync(lease.JobId))!;
        var atOne = await harness.User.GetJobArtifactsAsync(lease.JobId);
        await harness.Runner.ReportProgressAsync(lease.JobId, new JobProgressReport { FencingToken = lease.FencingToken, Status = JobStatus.Uploading });
        await CheckpointAsync(harness, lease, two);
        await harness.User.StopJobAsync(lease.JobId, new StopRequest());
        await CheckpointAsync(harness, lease, three);
        var stopping = (await harness.User.FindJobAsync(lease.JobId))!;
        var atThree = await harness.User.GetJobArtifactsAsync(lease.JobId);

        Assert.Equal(JobStatus.Running, running.Status);
        Assert.Equal(one.Sha256, Assert.Single(atOne.Files).Sha256);
        Assert.True(atOne.Partial);
        Assert.Equal(JobStatus.Stopping, stopping.Status);
        Assert.Equal(three.Sha256, Assert.Single(atThree.Files).Sha256);
    }

    [Theory]
    [InlineData(JobStatus.Done)]
    [InlineData(JobStatus.Aborting)]
    public async Task Checkpoint_OfAJobThatNoLongerRuns_IsAConflict_AndKeepsTheFiles(JobStatus status)
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;
        var kept = await UploadAsync(harness, "dataset/count", "1");
        var late = await UploadAsync(harness, "dataset/count", "2");
        await harness.Runner.PutArtifactManifestAsync(lease.JobId, new ArtifactManifest { FencingToken = lease.FencingToken, Files = [kept] });
        if (status == JobStatus.Done) await harness.FinishAsync(lease);
        else await harness.User.StopJobAsync(lease.JobId, new StopRequest { Abort = true });

        var error = await Assert.ThrowsAsync<DstackApiException>(() => CheckpointAsync(harness, lease, late));
        var artifacts = await harness.User.GetJobArtifactsAsync(lease.JobId);

        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        Assert.Equal($"job {lease.JobId} is {status.ToDisplay()}: a checkpoint is taken only while the job runs (RUNNING, UPLOADING or STOPPING)", error.Message);
        Assert.Equal(kept.Sha256, Assert.Single(artifacts.Files).Sha256);
        Assert.False(artifacts.Partial);
    }

    [Fact]
    public async Task FinalManifest_AfterCheckpoints_DecidesWhetherTheArtifactsArePartial()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;
        var file = await UploadAsync(harness, "dataset/count", "9");

        await CheckpointAsync(harness, lease, file);
        await harness.Runner.PutArtifactManifestAsync(lease.JobId, new ArtifactManifest { FencingToken = lease.FencingToken, Files = [file] });
        await harness.FinishAsync(lease);

        Assert.False((await harness.User.GetJobArtifactsAsync(lease.JobId)).Partial);
    }

    [Fact]
    public async Task JobOfALostRunner_KeepsItsLastCheckpoint()
    {
        var timeout = TimeSpan.FromMilliseconds(200);
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        await using var harness = await ServerHarness.StartAsync(o => o with { RunnerTimeout = timeout }, time: clock);
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;
        var early = await UploadAsync(harness, "dataset/count", "10");
        var last = await UploadAsync(harness, "dataset/count", "20");
        await CheckpointAsync(harness, lease, early);
        await CheckpointAsync(harness, lease, last);

        clock.Advance(timeout * 2);
        var failed = await Eventually.Until(() => harness.User.FindJobAsync(lease.JobId), j => j!.Status == JobStatus.Failed, what: "the lost runner's job to fail");
        var artifacts = await harness.User.GetJobArtifactsAsync(lease.JobId);

        Assert.Equal("runner lost", failed!.Reason);
        Assert.Equal(last.Sha256, Assert.Single(artifacts.Files).Sha256);
        Assert.True(artifacts.Partial);
    }

    [Fact]
    public async Task Lease_CarriesTheCheckpointInterval_SixtySecondsByDefault()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("encode-dataset");

        var lease = (await harness.LeaseAsync(runner))!;

        Assert.Equal(60, lease.Spec.CheckpointIntervalSeconds);
    }
}
