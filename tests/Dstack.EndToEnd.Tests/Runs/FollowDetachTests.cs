using Dstack.Contracts.Jobs;
using Dstack.EndToEnd.Tests.Infrastructure;

namespace Dstack.EndToEnd.Tests.Runs;

public class FollowDetachTests
{
    [Fact]
    public async Task CtrlC_OnRunFollow_Detaches_AndTheRunGoesOn()
    {
        var release = Path.Combine(Path.GetTempPath(), "dstack-release-" + Guid.NewGuid().ToString("N"));
        var yaml = $$"""
            workflows:
              - name: slow
                commands:
                  - echo waiting
                  - for i in $(seq 1 600); do test -f {{release}} && break; sleep 0.1; done
                  - echo released
            """;
        try
        {
            using var sandbox = new DstackSandbox().WithWorkflows(yaml).Initialised();
            using var follower = sandbox.Start("run", "slow", "-f");
            var stderr = follower.StandardError.ReadToEndAsync();
            var runName = (await follower.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)))!.Trim();
            var waiting = await follower.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Contains("waiting", waiting);

            // What a terminal sends on Ctrl-C.
            Assert.Equal(0, ProcessRunner.Run("kill", ["-INT", follower.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], sandbox.Root).ExitCode);
            if (!follower.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                // Which signals the process blocks, ignores or catches tells a lost SIGINT from a hung exit.
                var signals = File.ReadAllLines($"/proc/{follower.Id}/status").Where(l => l.StartsWith("Sig", StringComparison.Ordinal) || l.StartsWith("ShdPnd", StringComparison.Ordinal) || l.StartsWith("State", StringComparison.Ordinal));
                follower.Kill();
                Assert.Fail($"dstack run -f did not exit on SIGINT; {string.Join("; ", signals)}; stderr: {await stderr}");
            }
            Assert.NotEqual(0, follower.ExitCode);
            Assert.Contains("detached", await stderr.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Contains($"dstack logs -f {runName}", await stderr);

            Assert.Equal(JobStatus.Running, sandbox.Run(runName).Jobs.Single().Status);
            File.WriteAllText(release, "go");
            var run = sandbox.WaitUntilFinished(runName);
            Assert.Equal(JobStatus.Done, run.Status);
            Assert.Contains("released", sandbox.Ok("logs", runName).Stdout);
        }
        finally
        {
            File.Delete(release);
        }
    }
}
