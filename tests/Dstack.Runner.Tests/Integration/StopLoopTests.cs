using System.Text;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Logs;
using Dstack.Runner.Tests.Support;

namespace Dstack.Runner.Tests.Integration;

/// <summary>Stop, abort, resume and checkpoints through the whole loop: the real server, a real runner, real jobs.</summary>
public sealed class StopLoopTests : IAsyncLifetime
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);
    private readonly LoopHarness _loop = new();

    public Task InitializeAsync() => _loop.StartServerAsync();

    public Task DisposeAsync() => _loop.DisposeAsync().AsTask();

    private async Task<string> StartJobAsync(string workflows, string workflow, string startedLine)
    {
        var run = await _loop.SubmitAsync(workflows, workflow);
        _loop.StartRunner();
        var jobId = run.Jobs.Single().JobId;
        await _loop.WaitForLogAsync(jobId, startedLine, RunTimeout);
        return jobId;
    }

    private async Task<string> StdoutAsync(string jobId, int? attempt = null) =>
        Encoding.UTF8.GetString(await _loop.LogBytesAsync(jobId, LogStream.Stdout, attempt));

    [Fact]
    public async Task AStoppedJobThatTrapsTerm_ShipsItsLastLine_UploadsItsArtifactsAsPartial_AndIsStopped()
    {
        const string workflows = """
            workflows:
              - name: train
                commands:
                  - mkdir -p out
                  - trap 'echo saved > out/final.txt; echo "last line"; exit 0' TERM
                  - echo started
                  - sleep 600 & wait $!
                artifacts: [out]
            """;
        var jobId = await StartJobAsync(workflows, "train", "started\n");

        var result = await _loop.User.StopJobAsync(jobId, new StopRequest { GraceSeconds = 10 });
        var job = await _loop.WaitForJobAsync(jobId, j => j.Status == JobStatus.Stopped, "STOPPED", RunTimeout);

        Assert.Equal([jobId], result.Changed);
        Assert.StartsWith("stopped by the user (SIGTERM, exited in ", job.Reason);
        Assert.Equal(0, job.ExitCode);
        Assert.Equal("started\nlast line\n", await StdoutAsync(jobId));
        var artifacts = await _loop.User.GetJobArtifactsAsync(jobId);
        Assert.True(artifacts.Partial);
        Assert.Equal("saved\n"u8.ToArray(), await _loop.BlobAsync(artifacts.Files.Single(f => f.Path == "out/final.txt").Sha256));
    }

    [Fact]
    public async Task NoProcessOfAStoppedJobSurvives_NeitherAChildThatIgnoresTerm_NorAGrandchildThatCalledSetsid()
    {
        var stubbornPid = _loop.Combine("stubborn.pid");
        var escapedPid = _loop.Combine("escaped.pid");
        var workflows = $$"""
            workflows:
              - name: stubborn
                commands:
                  - bash -c 'trap "" TERM; echo $$ > {{stubbornPid}}; while true; do sleep 0.05; done' &
                  - setsid sleep 300 & echo $! > {{escapedPid}}
                  - echo started
                  - wait
            """;
        var jobId = await StartJobAsync(workflows, "stubborn", "started\n");
        var stubborn = await Processes.ReadPidFileAsync(stubbornPid, "the stubborn child to start");
        var escaped = await Processes.ReadPidFileAsync(escapedPid, "the grandchild to start");

        await _loop.User.StopJobAsync(jobId, new StopRequest { GraceSeconds = 1 });
        var job = await _loop.WaitForJobAsync(jobId, j => j.Status == JobStatus.Stopped, "STOPPED", RunTimeout);

        Assert.Equal("stopped by the user (killed with SIGKILL after the 1 s grace)", job.Reason);
        Assert.False(Processes.IsRunning(stubborn));
        Assert.False(Processes.IsRunning(escaped));
    }

    [Fact]
    public async Task AnAbortKillsAtOnce_KeepsTheLogsUpToTheKill_AndUploadsNoArtifact()
    {
        const string workflows = """
            workflows:
              - name: train
                checkpoint_interval: 0
                commands:
                  - mkdir -p out && echo partial > out/file.txt
                  - trap 'echo "TERM must not be sent on abort"' TERM
                  - echo working
                  - sleep 600
                artifacts: [out]
            """;
        var jobId = await StartJobAsync(workflows, "train", "working\n");

        await _loop.User.StopJobAsync(jobId, new StopRequest { Abort = true });
        var job = await _loop.WaitForJobAsync(jobId, j => j.Status == JobStatus.Aborted, "ABORTED", RunTimeout);

        Assert.Equal(("aborted by the user (SIGKILL)", "SIGKILL"), (job.Reason, job.Signal));
        Assert.Equal("working\n", await StdoutAsync(jobId));
        Assert.Empty((await _loop.User.GetJobArtifactsAsync(jobId)).Files);
    }

    [Fact]
    public async Task AnAbortOverridesAGracefulStopUnderWay()
    {
        const string workflows = """
            workflows:
              - name: train
                commands:
                  - trap '' TERM
                  - echo working
                  - sleep 600
            """;
        var jobId = await StartJobAsync(workflows, "train", "working\n");
        await _loop.User.StopJobAsync(jobId, new StopRequest { GraceSeconds = 600 });
        await Wait.UntilAsync(() => _loop.RunnerLog.Contains($"job {jobId}: stop order", StringComparison.Ordinal), RunTimeout, "the stop order to reach the runner");

        await _loop.User.StopJobAsync(jobId, new StopRequest { Abort = true });
        var job = await _loop.WaitForJobAsync(jobId, j => j.Status == JobStatus.Aborted, "ABORTED", RunTimeout);

        Assert.Equal("aborted by the user (SIGKILL)", job.Reason);
    }

    [Fact]
    public async Task AResumedJobFindsItsSavedFilesInPlace_AndCarriesOnFromThem()
    {
        const string workflows = """
            workflows:
              - name: count
                commands:
                  - mkdir -p ckpt
                  - n=$(cat ckpt/n.txt 2>/dev/null || echo 0); echo "from $n"
                  - trap 'exit 0' TERM
                  - for i in 1 2 3 4 5; do n=$((n+1)); echo $n > ckpt/n.txt; done; echo "at $n"
                  - if [ "$n" -lt 10 ]; then sleep 600 & wait $!; fi
                artifacts: [ckpt]
            """;
        var jobId = await StartJobAsync(workflows, "count", "at 5\n");
        await _loop.User.StopJobAsync(jobId, new StopRequest { GraceSeconds = 10 });
        await _loop.WaitForJobAsync(jobId, j => j.Status == JobStatus.Stopped, "STOPPED", RunTimeout);

        await _loop.User.ResumeJobAsync(jobId);
        var job = await _loop.WaitForJobAsync(jobId, j => j.Status == JobStatus.Done, "DONE", RunTimeout);

        Assert.Equal("from 0\nat 5\n", await StdoutAsync(jobId, attempt: 1));
        Assert.Equal("from 5\nat 10\n", await StdoutAsync(jobId, attempt: 2));
        Assert.Equal([JobStatus.Stopped, JobStatus.Done], job.Attempts.Select(a => a.Status));
    }

    [Fact]
    public async Task WhileAJobRuns_ItsArtifactsAreCheckpointedEverySecond()
    {
        var go = _loop.Combine("go");
        var workflows = $$"""
            workflows:
              - name: train
                checkpoint_interval: 1
                commands:
                  - mkdir -p ckpt && echo 'step 1' > ckpt/step.txt
                  - echo started
                  - while [ ! -f {{go}} ]; do sleep 0.02; done
                artifacts: [ckpt]
            """;
        var jobId = await StartJobAsync(workflows, "train", "started\n");

        await Wait.UntilAsync(() => _loop.RunnerLog.Contains($"job {jobId}: checkpoint of 1 file(s)", StringComparison.Ordinal), RunTimeout, "a checkpoint");
        var whileRunning = await _loop.User.GetJobArtifactsAsync(jobId);
        var status = (await _loop.User.FindJobAsync(jobId))!.Status;
        await File.WriteAllTextAsync(go, "");
        await _loop.WaitForJobAsync(jobId, j => j.Status == JobStatus.Done, "DONE", RunTimeout);

        Assert.Equal(JobStatus.Running, status);
        Assert.Equal("step 1\n"u8.ToArray(), await _loop.BlobAsync(whileRunning.Files.Single(f => f.Path == "ckpt/step.txt").Sha256));
        Assert.False((await _loop.User.GetJobArtifactsAsync(jobId)).Partial);
    }
}
