using System.Text;
using Dstack.Contracts.Logs;
using Dstack.Runner.Execution;
using Dstack.Runner.Logs;
using Dstack.Runner.Tests.Support;

namespace Dstack.Runner.Tests.Execution;

public sealed class JobProcessTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private async Task<(ExitStatus Exit, string Spool)> RunAsync(IReadOnlyList<string> commands, IReadOnlyDictionary<string, string>? environment = null)
    {
        var spoolPath = _temp.Combine("spool", "job-1.log");
        using var spool = LogSpool.Create(spoolPath);
        var script = JobScript.Write(_temp.Combine("spool"), 0, commands);
        var workDir = Directory.CreateDirectory(_temp.Combine("ws")).FullName;
        using var process = JobProcess.Start(script, workDir, new JobMarker("aaaaaaaaaaaa", 1), environment ?? new Dictionary<string, string>(), spool);
        var exit = await process.WaitAsync(CancellationToken.None);
        return (exit, spoolPath);
    }

    [Fact]
    public async Task OutputBytesArriveExactlyAsWritten_PerStream()
    {
        var (exit, spool) = await RunAsync(
        [
            @"printf 'progress 10%%\rprogress 50%%\rprogress 100%%\n'",
            @"printf 'bad bytes: \xff\xfe\xc3\x28 end\n'",
            @"head -c 1048576 /dev/zero | tr '\0' 'x'; printf '\n'",
            @"printf 'to stderr\n' >&2",
            @"printf 'no final newline'",
        ]);

        Assert.Equal(0, exit.ExitCode);
        var expected = new List<byte>();
        expected.AddRange("progress 10%\rprogress 50%\rprogress 100%\n"u8.ToArray());
        expected.AddRange("bad bytes: "u8.ToArray());
        expected.AddRange(new byte[] { 0xff, 0xfe, 0xc3, 0x28 });
        expected.AddRange(" end\n"u8.ToArray());
        expected.AddRange(Enumerable.Repeat((byte)'x', 1 << 20));
        expected.Add((byte)'\n');
        expected.AddRange("no final newline"u8.ToArray());
        Assert.Equal(expected.ToArray(), SpoolContent.Bytes(spool, LogStream.Stdout));
        Assert.Equal("to stderr\n"u8.ToArray(), SpoolContent.Bytes(spool, LogStream.Stderr));
    }

    [Fact]
    public async Task TheFirstFailingCommandStopsTheScript_AndShellVariablesCarryFromLineToLine()
    {
        var (exit, spool) = await RunAsync(["GREETING=hello", "echo \"$GREETING world\"", "false", "echo never"]);

        Assert.Equal(1, exit.ExitCode);
        Assert.Null(exit.Signal);
        Assert.Equal("exit code 1", exit.Describe());
        Assert.Equal("hello world\n", Encoding.UTF8.GetString(SpoolContent.Bytes(spool, LogStream.Stdout)));
    }

    [Fact]
    public async Task AFailureInsideAPipelineFailsTheScript()
    {
        var (exit, _) = await RunAsync(["false | cat", "echo never"]);

        Assert.Equal(1, exit.ExitCode);
    }

    [Fact]
    public async Task TheExitCodeIsRecorded()
    {
        var (exit, _) = await RunAsync(["exit 3"]);

        Assert.Equal(3, exit.ExitCode);
        Assert.Equal("exit code 3", exit.Describe());
    }

    [Fact]
    public async Task ACommandKilledByASignalIsRecordedWithTheSignalsName()
    {
        var (exit, _) = await RunAsync(["sh -c 'kill -9 $$'"]);

        Assert.Equal(137, exit.ExitCode);
        Assert.Equal("SIGKILL", exit.Signal);
        Assert.Equal("killed by SIGKILL", exit.Describe());
    }

    [Fact]
    public async Task ABackgroundChildDoesNotOutliveTheJob()
    {
        var pidFile = _temp.Combine("child.pid");
        var (exit, _) = await RunAsync([$"sleep 600 > /dev/null 2>&1 & echo $! > {pidFile}", "echo started"]);

        Assert.Equal(0, exit.ExitCode);
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await Wait.UntilAsync(() => !IsRunning(pid), TimeSpan.FromSeconds(10), $"background child {pid} to be killed");
    }

    [Fact]
    public async Task TheJobRunsInItsOwnProcessGroup_WithTheJobsEnvironment_NoRunnerToken_AndStdinAtEndOfFile()
    {
        Environment.SetEnvironmentVariable("DSTACK_RUNNER_TOKEN", "runner-secret");
        Environment.SetEnvironmentVariable("DSTACK_RUNNER_BLOB_STORE", "/the/runner/s/store");
        var (exit, spool) = await RunAsync(
            ["cut -d' ' -f5 /proc/$$/stat", "echo $$", "echo \"model=$MODEL token=${DSTACK_RUNNER_TOKEN:-none} store=${DSTACK_RUNNER_BLOB_STORE:-none}\"", "cat", "pwd"],
            new Dictionary<string, string> { ["MODEL"] = "124M" });

        Assert.Equal(0, exit.ExitCode);
        var lines = Encoding.UTF8.GetString(SpoolContent.Bytes(spool, LogStream.Stdout)).Split('\n');
        Assert.Equal(lines[1], lines[0]); // the script's bash leads its own group
        Assert.Equal("model=124M token=none store=none", lines[2]);
        Assert.Equal(_temp.Combine("ws"), lines[3]);
    }

    [Fact]
    public async Task KillingTheJobKillsItsWholeGroup()
    {
        var spoolPath = _temp.Combine("spool", "job-2.log");
        using var spool = LogSpool.Create(spoolPath);
        var pidFile = _temp.Combine("child.pid");
        var script = JobScript.Write(_temp.Combine("spool"), 1, [$"sleep 600 & echo $! > {pidFile}", "sleep 600"]);
        using var process = JobProcess.Start(script, _temp.Path, new JobMarker("bbbbbbbbbbbb", 1), new Dictionary<string, string>(), spool);
        await Wait.UntilAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0, TimeSpan.FromSeconds(10), "the child to start");
        var child = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        using var cancel = new CancellationTokenSource();
        var waiting = process.WaitAsync(cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await Wait.UntilAsync(() => !IsRunning(child) && !IsRunning(process.ProcessGroupId), TimeSpan.FromSeconds(10), "the group to die");
    }

    private static bool IsRunning(int pid)
    {
        // a zombie (state Z) has exited: only its parent has not reaped it yet
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat)) return false;
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Dispose() => _temp.Dispose();
}
