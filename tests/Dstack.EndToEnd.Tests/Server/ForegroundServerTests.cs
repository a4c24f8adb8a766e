using System.Diagnostics;
using Dstack.Contracts.Jobs;
using Dstack.EndToEnd.Tests.Infrastructure;

namespace Dstack.EndToEnd.Tests.Server;

/// <summary>
/// `dstack server` in the foreground and a `dstack runner` for it, as a user sets up a server of their own: both
/// become dstackd (ADR 0011) and must behave as if dstack ran them, same pid, same signals.
/// </summary>
public class ForegroundServerTests
{
    [Fact]
    public void AForegroundServerAndARunner_RunAJob_WithTheDefaultSigpipe_AndStopOnSigterm()
    {
        using var sandbox = new DstackSandbox();
        var home = Path.Combine(sandbox.Root, "server-home");
        using var server = sandbox.Start("server", "--port", "0", "--home", home);
        var url = WaitForUrl(server);
        // The pid the user started is the server's: dstack became dstackd rather than starting it as a child.
        Assert.Equal("dstackd", Path.GetFileName(ExecutableOf(server.Id)));

        sandbox.Environment["DSTACK_SERVER_URL"] = url;
        sandbox.Environment["DSTACK_TOKEN"] = File.ReadAllText(Path.Combine(home, "token")).Trim();
        sandbox.Environment["DSTACK_RUNNER_TOKEN"] = File.ReadAllText(Path.Combine(home, "runner-token")).Trim();
        using var runner = sandbox.Start("runner", "--server", url, "--home", Path.Combine(sandbox.Root, "runner-home"), "--slots", "1");
        try
        {
            Assert.Equal("dstackd", Path.GetFileName(Eventually.Until(() => ExecutableOf(runner.Id) is { } exe && exe.EndsWith("dstackd", StringComparison.Ordinal) ? exe : null,
                TimeSpan.FromSeconds(30), "the runner to become dstackd")));
            // SigIgn is the mask of ignored signals; SIGPIPE (13) is bit 12. .NET ignores SIGPIPE (the runner too): the
            // runner's start of a job must not pass that on (it did, through .NET's Process, before SessionProcess).
            sandbox.WithWorkflows("""
                workflows:
                  - name: signals
                    commands:
                      - grep SigIgn /proc/self/status
                """).Initialised();
            var runName = sandbox.Submit("signals");
            var run = sandbox.WaitUntilFinished(runName, TimeSpan.FromSeconds(60));
            Assert.Equal(JobStatus.Done, run.Jobs.Single().Status);
            var line = sandbox.Ok("logs", runName).Stdout.Split('\n').Single(l => l.Contains("SigIgn", StringComparison.Ordinal));
            var ignored = Convert.ToUInt64(line.Split(':')[1].Trim(), 16);
            Assert.True((ignored & (1UL << 12)) == 0, $"the job inherited SIGPIPE ignored: {line}");

            Process.Start("kill", ["-TERM", server.Id.ToString()])!.WaitForExit();
            Assert.True(server.WaitForExit(30_000), "the server did not stop on SIGTERM");
            Assert.Equal(0, server.ExitCode);
            Assert.Contains("dstack server stopping", server.StandardOutput.ReadToEnd());
        }
        finally
        {
            if (!runner.HasExited) runner.Kill(entireProcessTree: true);
            if (!server.HasExited) server.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void WithoutDstackdBesideIt_ServerAndRunnerSayWhatIsMissing()
    {
        using var sandbox = new DstackSandbox();
        var installed = new FileInfo(DstackBinary.Path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? DstackBinary.Path;
        var alone = Path.Combine(sandbox.Root, "alone");
        Directory.CreateDirectory(alone);
        File.Copy(installed, Path.Combine(alone, "dstack"));
        File.SetUnixFileMode(Path.Combine(alone, "dstack"), File.GetUnixFileMode(installed));

        var result = ProcessRunner.Run(Path.Combine(alone, "dstack"), ["server", "--port", "0"], sandbox.Root, sandbox.Environment);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{Path.Combine(alone, "dstackd")} is missing", result.Stderr);
        Assert.Contains("./install.sh", result.Stderr);
    }

    /// <summary>The first line the server prints: "dstack server VERSION listening on URL (home DIR)".</summary>
    private static string WaitForUrl(Process server)
    {
        var line = server.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"the server exited: {server.StandardError.ReadToEnd()}");
        var words = line.Split(' ');
        var at = Array.IndexOf(words, "on");
        Assert.True(line.Contains("listening on", StringComparison.Ordinal) && at > 0, line);
        return words[at + 1];
    }

    private static string? ExecutableOf(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/exe").ResolveLinkTarget(returnFinalTarget: false)?.FullName;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
