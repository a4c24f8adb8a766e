using System.Diagnostics;
using System.Text.Json;
using Dstack.Contracts;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Server;
using Dstack.EndToEnd.Tests.Infrastructure;

namespace Dstack.EndToEnd.Tests.Server;

public class EmbeddedServerTests
{
    private static EmbeddedServerState ReadState(DstackSandbox sandbox) =>
        JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(sandbox.Home, "server.json")), DstackJsonContext.Default.EmbeddedServerState)!;

    [Fact]
    public void TheFirstCommandThatNeedsAServer_StartsOneInTheBackground_AndSaysSoOnce()
    {
        using var sandbox = new DstackSandbox();
        var first = sandbox.Dstack("status", "--last", "1");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("server", first.Stderr);

        var state = ReadState(sandbox);
        Assert.True(ProcessTable.IsAlive(state.Pid));
        Assert.StartsWith("http://127.0.0.1:", state.Url);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(sandbox.Home, "token")));
        Assert.True(File.Exists(Path.Combine(sandbox.Home, "state.db")));
        // Its own session: a Ctrl-C in the user's terminal does not reach it.
        Assert.Equal(state.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), SessionOf(state.Pid));
        Assert.NotEqual(SessionOf(Environment.ProcessId), SessionOf(state.Pid));

        var second = sandbox.Dstack("status", "--last", "1");
        Assert.Equal(0, second.ExitCode);
        Assert.DoesNotContain("Started", second.Stderr);
        Assert.Equal(state.Pid, ReadState(sandbox).Pid);
    }

    [Fact]
    public void ServerStop_StopsTheServerAndItsRunner()
    {
        using var sandbox = new DstackSandbox();
        sandbox.Ok("status");
        var pid = ReadState(sandbox).Pid;
        Eventually.Until(() => sandbox.ProcessesUnderRoot().Count >= 2, TimeSpan.FromSeconds(30), "the built-in runner to start");

        sandbox.Ok("server", "stop");
        Eventually.Until(() => !ProcessTable.IsAlive(pid), TimeSpan.FromSeconds(30), "the server to exit");
        Assert.False(File.Exists(Path.Combine(sandbox.Home, "server.json")));
        Eventually.Until(() => sandbox.ProcessesUnderRoot().Count == 0, TimeSpan.FromSeconds(30), "every process of the server to exit");
    }

    [Fact]
    public void AServerThatCrashed_IsDetectedAndReplaced()
    {
        using var sandbox = new DstackSandbox();
        sandbox.Ok("status");
        var old = ReadState(sandbox).Pid;
        Process.GetProcessById(old).Kill();
        Eventually.Until(() => !ProcessTable.IsAlive(old), TimeSpan.FromSeconds(10), "the server to die");

        var result = sandbox.Ok("status");
        Assert.Contains("server", result.Stderr);
        var state = ReadState(sandbox);
        Assert.NotEqual(old, state.Pid);
        Assert.True(ProcessTable.IsAlive(state.Pid));
    }

    [Fact]
    public void AServerJsonNamingAnotherLiveProcess_IsNotTrusted_AndANewServerStarts()
    {
        using var sandbox = new DstackSandbox();
        sandbox.Ok("status");
        var real = ReadState(sandbox);
        sandbox.Ok("server", "stop");
        // The file names this build and a live process, but not the one that wrote it (another start time): a command must
        // ask before it sends its token, find no server there, and start one.
        using var impostor = Process.Start("sleep", "60");
        try
        {
            var forged = real with { Pid = impostor.Id, ProcessStartTicks = real.ProcessStartTicks + 1 };
            File.WriteAllText(Path.Combine(sandbox.Home, "server.json"), JsonSerializer.Serialize(forged, DstackJsonContext.Default.EmbeddedServerState));

            var result = sandbox.Ok("status");
            Assert.Contains("Started a background dstack server", result.Stderr);
            var state = ReadState(sandbox);
            Assert.NotEqual(impostor.Id, state.Pid);
            Assert.True(state.ProcessStartTicks > 0);
        }
        finally
        {
            impostor.Kill();
        }
    }

    [Fact]
    public void TwoCommandsRacingToStartTheServer_StartOnlyOne()
    {
        using var sandbox = new DstackSandbox();
        var results = Enumerable.Range(0, 4).AsParallel().WithDegreeOfParallelism(4)
            .Select(_ => sandbox.Dstack("status", "--last", "1")).ToList();
        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.Single(results, r => r.Stderr.Contains("Started", StringComparison.Ordinal));
        var servers = sandbox.ProcessesUnderRoot().Where(pid => CommandLine(pid).Contains(" server ", StringComparison.Ordinal)).ToList();
        Assert.Single(servers);
    }

    [Fact]
    public void AfterAnUpgrade_TheOlderServerStillRunning_IsNoticedAndRestarted()
    {
        using var sandbox = new DstackSandbox();
        sandbox.Ok("status");
        var old = ReadState(sandbox);

        // A second installation of a newer build: same files, another build id (install.sh writes a fresh one).
        var installed = new FileInfo(DstackBinary.Path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? DstackBinary.Path;
        var upgraded = Path.Combine(sandbox.Root, "upgraded");
        Folders.Copy(Path.GetDirectoryName(installed)!, upgraded);
        File.WriteAllText(Path.Combine(upgraded, "build-id"), "upgraded-build\n");

        var result = ProcessRunner.Run(Path.Combine(upgraded, "dstack"), ["status"], sandbox.Repo.Path, sandbox.Environment);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("upgraded", result.Stderr);
        var state = ReadState(sandbox);
        Assert.NotEqual(old.Pid, state.Pid);
        Assert.Equal("upgraded-build", state.BuildId);
        Assert.False(ProcessTable.IsAlive(old.Pid));
    }

    [Fact]
    public void TheServerKilledDuringARun_ComesBack_WithHistoryIntact_AndTheJobFinishes()
    {
        var release = Path.Combine(Path.GetTempPath(), "dstack-release-" + Guid.NewGuid().ToString("N"));
        var yaml = $$"""
            workflows:
              - name: quick
                commands: [echo quick]
              - name: slow
                commands:
                  - echo started
                  - for i in $(seq 1 900); do test -f {{release}} && break; sleep 0.1; done
                  - echo finished
            """;
        try
        {
            using var sandbox = new DstackSandbox().WithWorkflows(yaml).Initialised();
            var earlier = sandbox.WaitUntilFinished(sandbox.Submit("quick"));
            var runName = sandbox.Submit("slow");
            Eventually.Until(() => sandbox.Run(runName).Jobs[0].Status == JobStatus.Running, TimeSpan.FromSeconds(60), "the job to run");
            Eventually.Until(() => sandbox.Ok("logs", runName).Stdout.Contains("started", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the first line");

            var server = ReadState(sandbox).Pid;
            Process.GetProcessById(server).Kill();
            Eventually.Until(() => !ProcessTable.IsAlive(server), TimeSpan.FromSeconds(10), "the server to die");

            var runs = sandbox.Status("--last", "10");
            Assert.Contains(runs, r => r.RunName == earlier.RunName && r.Status == JobStatus.Done);
            Assert.Contains(runs, r => r.RunName == runName);

            File.WriteAllText(release, "go");
            var run = sandbox.WaitUntilFinished(runName, TimeSpan.FromSeconds(120));
            var job = run.Jobs.Single();
            if (job.Status == JobStatus.Done)
            {
                var logs = sandbox.Ok("logs", runName).Stdout;
                Assert.Contains("started", logs);
                Assert.Contains("finished", logs);
            }
            else
            {
                Assert.Equal(JobStatus.Failed, job.Status);
                Assert.False(string.IsNullOrEmpty(job.Reason));
            }
        }
        finally
        {
            File.Delete(release);
        }
    }

    [Fact]
    public void AServerThatCannotStart_IsReported_WithTheEndOfItsLog()
    {
        using var sandbox = new DstackSandbox();
        // A folder where the database file belongs: the server fails at start-up.
        Directory.CreateDirectory(Path.Combine(sandbox.Home, "state.db"));
        var result = sandbox.Dstack("status");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("server.log", result.Stderr);
        Assert.Contains("state.db", result.Stderr);
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return " " + File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static string SessionOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[3];
    }
}
