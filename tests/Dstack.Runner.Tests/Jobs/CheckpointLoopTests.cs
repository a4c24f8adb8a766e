using System.Collections.Concurrent;
using Dstack.Contracts.Runner;
using Dstack.Runner.Artifacts;
using Dstack.Runner.Execution;
using Dstack.Runner.Hosting;
using Dstack.Runner.Jobs;
using Dstack.Runner.Logs;
using Dstack.Runner.Tests.Support;

namespace Dstack.Runner.Tests.Jobs;

/// <summary>Checkpoints every second of a real job that writes into its artifact folder.</summary>
public sealed class CheckpointLoopTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task WhileAJobRuns_EachCheckpointUploadsTheChangedFile_AndNotTheUnchangedOne()
    {
        var ws = Directory.CreateDirectory(_temp.Combine("ws")).FullName;
        var blobs = new FolderBlobStore(_temp.Combine("blobs"));
        var manifests = new ConcurrentQueue<ArtifactManifest>();
        using var spool = LogSpool.Create(_temp.Combine("spool", "job.log"));
        var go = _temp.Combine("go");
        var script = JobScript.Write(_temp.Combine("scripts"), 0,
        [
            "mkdir -p ckpt && echo 'lr=0.1' > ckpt/config.txt && echo 'step 1' > ckpt/step.txt",
            $"while [ ! -f {go} ]; do sleep 0.02; done",
            "echo 'step 2' > ckpt/step.txt",
            $"while [ -f {go} ]; do sleep 0.02; done",
        ]);
        using var process = JobProcess.Start(script, ws, new JobMarker("c4ec4ec4ec4e", 1), new Dictionary<string, string>(), spool);
        using var sync = new ArtifactSync(ws, ws, ["ckpt", "not-yet"], blobs, null);
        var log = new StringWriter();
        var loop = new CheckpointLoop(sync, TimeSpan.FromSeconds(1), 5, (manifest, _) =>
        {
            manifests.Enqueue(manifest);
            return Task.CompletedTask;
        }, "c4ec4ec4ec4e", new RunnerLog(TextWriter.Synchronized(log)));
        using var ticking = new CancellationTokenSource();
        var checkpoints = loop.RunAsync(ticking.Token, CancellationToken.None);

        await Wait.UntilAsync(() => manifests.Any(m => m.Files.Count == 2), Bound, "a checkpoint of both files");
        var uploadsAfterFirst = blobs.Uploads;
        File.WriteAllText(go, "");
        var step2 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("step 2\n"u8));
        await Wait.UntilAsync(() => manifests.Any(m => m.Files.Any(f => f.Sha256 == step2)), Bound, "a checkpoint of step 2");
        File.Delete(go);
        await process.WaitAsync(CancellationToken.None);
        await ticking.CancelAsync();
        await checkpoints.WaitAsync(Bound);

        Assert.Equal(2, uploadsAfterFirst);
        Assert.Equal(3, blobs.Uploads); // step.txt again; config.txt not
        Assert.All(manifests, m => Assert.True(m.Checkpoint && m.Partial && m.FencingToken == 5));
        Assert.All(manifests, m => Assert.Equal(["not-yet"], m.Missing));
        Assert.Contains("checkpoint of 2 file(s): 1 changed, 1 uploaded", log.ToString());
    }

    [Fact]
    public async Task ALoopStoppedBeforeItsFirstTick_EndsAtOnceWithoutACheckpoint()
    {
        var ws = Directory.CreateDirectory(_temp.Combine("ws")).FullName;
        using var sync = new ArtifactSync(ws, ws, ["ckpt"], new FolderBlobStore(_temp.Combine("blobs")), null);
        var manifests = 0;
        var loop = new CheckpointLoop(sync, TimeSpan.FromHours(1), 5, (_, _) =>
        {
            Interlocked.Increment(ref manifests);
            return Task.CompletedTask;
        }, "c4ec4ec4ec4e", new RunnerLog(TextWriter.Null));
        using var ticking = new CancellationTokenSource();

        var waiting = loop.RunAsync(ticking.Token, CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        await ticking.CancelAsync();
        await waiting.WaitAsync(Bound);
        await loop.RunAsync(ticking.Token, CancellationToken.None).WaitAsync(Bound); // stopped already

        Assert.Equal(0, manifests);
    }

    public void Dispose() => _temp.Dispose();
}
