using System.Security.Cryptography;
using System.Text;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Logs;
using Dstack.Runner.Hosting;
using Dstack.Runner.Tests.Support;

namespace Dstack.Runner.Tests.Integration;

/// <summary>The whole loop: the real server hands jobs to a real runner over HTTP; git, bash and the blob store are real.</summary>
public sealed class LeaseLoopTests : IAsyncLifetime
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);
    private readonly LoopHarness _loop = new();

    public Task InitializeAsync() => _loop.StartServerAsync();

    public Task DisposeAsync() => _loop.DisposeAsync().AsTask();

    [Fact]
    public async Task APipelineRuns_WithTheDependencysArtifactsInPlace_ItsOutputBytesKept_AndItsArtifactsStored()
    {
        const string workflows = """
            workflows:
              - name: download-model
                commands:
                  - mkdir -p models
                  - printf 'weights' > models/model.bin
                  - echo downloaded
                artifacts: [models]
              - name: finetune-model
                depends-on: [download-model]
                commands:
                  - cat models/model.bin
                  - printf ' 50%%\r100%%\n'
                  - mkdir checkpoint && cp models/model.bin checkpoint/final.bin
                  - printf 'no final newline'
                artifacts: [checkpoint]
            """;
        var run = await _loop.SubmitAsync(workflows, "finetune-model");
        _loop.StartRunner();

        run = await _loop.WaitForRunAsync(run.RunName, RunTimeout);

        Assert.Equal(JobStatus.Done, run.Status);
        var download = run.Jobs.Single(j => j.Workflow == "download-model");
        var finetune = run.Jobs.Single(j => j.Workflow == "finetune-model");
        Assert.Equal("downloaded\n", Encoding.UTF8.GetString(await _loop.LogBytesAsync(download.JobId, LogStream.Stdout)));
        Assert.Equal("weights 50%\r100%\nno final newline", Encoding.UTF8.GetString(await _loop.LogBytesAsync(finetune.JobId, LogStream.Stdout)));
        var weights = Convert.ToHexStringLower(SHA256.HashData("weights"u8));
        var downloaded = await _loop.User.GetJobArtifactsAsync(download.JobId);
        Assert.Equal(("models/model.bin", weights, 7L), downloaded.Files.Select(f => (f.Path, f.Sha256, f.Size)).Single());
        Assert.False(downloaded.Partial);
        var checkpoint = (await _loop.User.GetJobArtifactsAsync(finetune.JobId)).Files.Single();
        Assert.Equal(("checkpoint/final.bin", weights), (checkpoint.Path, checkpoint.Sha256));
        Assert.Equal("weights"u8.ToArray(), await _loop.BlobAsync(weights));
        // Emptied once the outcome was accepted (each slot keeps its file for its next job).
        var spools = Directory.GetFiles(Path.Combine(_loop.RunnerHome, "spool"), "*.log");
        Assert.NotEmpty(spools);
        Assert.All(spools, spool => Assert.Equal(0, new FileInfo(spool).Length));
    }

    [Fact]
    public async Task EachOutcomeBringsBackTheSlotsNextJob_WithoutALeaseCallOfItsOwn()
    {
        const string workflows = """
            workflows:
              - name: a
                commands: [echo a > a.txt]
                artifacts: [a.txt]
              - name: b
                depends-on: [a]
                commands: [cat a.txt]
              - name: c
                depends-on: [b]
                commands: [echo c]
            """;
        await using var proxy = new RequestCountingProxy(_loop.Server.Url, "POST /api/runners/lease ");
        await _loop.PublishServerAsync(proxy.Url);
        var run = await _loop.SubmitAsync(workflows, "c");
        _loop.StartRunner(slots: 1);

        run = await _loop.WaitForRunAsync(run.RunName, RunTimeout);

        Assert.Equal(JobStatus.Done, run.Status);
        Assert.Equal("a\n", Encoding.UTF8.GetString(await _loop.LogBytesAsync(run.Jobs.Single(j => j.Workflow == "b").JobId, LogStream.Stdout)));
        // One lease call took a; a's outcome brought back b, b's brought back c. (After c, the slot waits with a lease call again.)
        Assert.InRange(proxy.Count, 1, 2);
        await _loop.StopRunnerAsync();
    }

    [Fact]
    public async Task AFailingCommandFailsTheJob_WithItsExitCode_AndKeepsWhatArtifactsExistAsPartial()
    {
        const string workflows = """
            workflows:
              - name: train
                commands:
                  - echo before
                  - mkdir out && echo partial > out/log.txt
                  - exit 3
                  - echo never
                artifacts: [out]
            """;
        var run = await _loop.SubmitAsync(workflows, "train");
        _loop.StartRunner();

        run = await _loop.WaitForRunAsync(run.RunName, RunTimeout);

        var job = run.Jobs.Single();
        Assert.Equal((JobStatus.Failed, 3, "exit code 3"), (job.Status, job.ExitCode, job.Reason));
        Assert.True(job.ArtifactsPartial);
        Assert.Equal("before\n", Encoding.UTF8.GetString(await _loop.LogBytesAsync(job.JobId, LogStream.Stdout)));
        var artifacts = await _loop.User.GetJobArtifactsAsync(job.JobId);
        Assert.Equal(["out/log.txt"], artifacts.Files.Select(f => f.Path));
    }

    [Fact]
    public async Task AMissingArtifactFailsTheJob_WhileTheOthersAreStillStored()
    {
        const string workflows = """
            workflows:
              - name: train
                commands:
                  - mkdir present && echo x > present/file.txt
                artifacts: [present, absent]
            """;
        var run = await _loop.SubmitAsync(workflows, "train");
        _loop.StartRunner();

        run = await _loop.WaitForRunAsync(run.RunName, RunTimeout);

        var job = run.Jobs.Single();
        Assert.Equal((JobStatus.Failed, 0, "artifact 'absent' does not exist"), (job.Status, job.ExitCode, job.Reason));
        var artifacts = await _loop.User.GetJobArtifactsAsync(job.JobId);
        Assert.Equal(["present/file.txt"], artifacts.Files.Select(f => f.Path));
        Assert.Equal(["absent"], artifacts.Missing);
    }

    [Fact]
    public async Task ARemoteThatCannotBeReachedFailsTheJob_WithGitsErrorInItsLog()
    {
        var run = await _loop.SubmitAsync("workflows:\n  - name: w\n    commands: [echo hi]\n", "w");
        Directory.Move(_loop.Remote.BarePath, _loop.Remote.BarePath + ".gone");
        _loop.StartRunner();

        run = await _loop.WaitForRunAsync(run.RunName, RunTimeout);

        var job = run.Jobs.Single();
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.StartsWith($"could not fetch {_loop.Remote.Url}: ", job.Reason);
        Assert.Contains("does not appear to be a git repository", Encoding.UTF8.GetString(await _loop.LogBytesAsync(job.JobId, LogStream.Stderr)));
    }

    [Fact]
    public async Task AMillionLinesAllReachTheServer()
    {
        var run = await _loop.SubmitAsync("workflows:\n  - name: w\n    commands: [seq 1 1000000]\n", "w");
        _loop.StartRunner();

        run = await _loop.WaitForRunAsync(run.RunName, RunTimeout);

        Assert.Equal(JobStatus.Done, run.Status);
        var expected = Encoding.ASCII.GetBytes(string.Join("", Enumerable.Range(1, 1_000_000).Select(i => $"{i}\n")));
        Assert.Equal(expected, await _loop.LogBytesAsync(run.Jobs.Single().JobId, LogStream.Stdout));
    }

    [Fact]
    public async Task AServerRestartOnAnotherPortDuringAJobLosesNothing()
    {
        var go = _loop.Combine("go");
        var run = await _loop.SubmitAsync($"workflows:\n  - name: w\n    commands:\n      - echo before\n      - while [ ! -f {go} ]; do sleep 0.02; done\n      - echo after\n", "w");
        _loop.StartRunner();
        var jobId = run.Jobs.Single().JobId;
        await WaitForLogAsync(jobId, "before\n");
        var firstUrl = _loop.Server.Url;

        await _loop.Server.DisposeAsync();
        await _loop.StartServerAsync();
        await File.WriteAllTextAsync(go, "");
        run = await _loop.WaitForRunAsync(run.RunName, RunTimeout);

        Assert.NotEqual(firstUrl, _loop.Server.Url);
        Assert.Equal(JobStatus.Done, run.Status);
        Assert.Equal("before\nafter\n", Encoding.UTF8.GetString(await _loop.LogBytesAsync(jobId, LogStream.Stdout)));
    }

    [Fact]
    public async Task StoppingTheRunnerKillsItsJobs_ReportsThemFailed_AndARestartKeepsItsIdentity()
    {
        var pidFile = _loop.Combine("job.pid");
        var run = await _loop.SubmitAsync($"workflows:\n  - name: w\n    commands:\n      - echo $$ > {pidFile}\n      - sleep 600\n", "w");
        _loop.StartRunner();
        await Wait.UntilAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).EndsWith('\n'), RunTimeout, "the job to start");
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var identity = RunnerStateFile.Load(_loop.RunnerHome)!.RunnerId;

        Assert.Equal(0, await _loop.StopRunnerAsync());

        run = (await _loop.User.FindRunAsync(run.RunName))!;
        Assert.Equal((JobStatus.Failed, "runner shut down"), (run.Jobs.Single().Status, run.Jobs.Single().Reason));
        await Wait.UntilAsync(() => !ProcessIsRunning(pid), TimeSpan.FromSeconds(10), $"the job's bash ({pid}) to be killed");
        _loop.StartRunner();
        await Wait.UntilAsync(() => _loop.RunnerLog.Split("registered as").Length == 3, RunTimeout, "the runner to register again");
        Assert.Equal(identity, RunnerStateFile.Load(_loop.RunnerHome)!.RunnerId);
    }

    private static bool ProcessIsRunning(int pid)
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal); // a zombie has exited
        }
        catch (IOException)
        {
            return false;
        }
    }

    private async Task WaitForLogAsync(string jobId, string text)
    {
        var deadline = DateTime.UtcNow + RunTimeout;
        while (!(await _loop.LogTextAsync(jobId)).Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no '{text}' in the log of {jobId}; runner log:\n{_loop.RunnerLog}");
            await Task.Delay(20);
        }
    }
}
