using System.Diagnostics;
using System.Text;
using Dstack.Contracts.Jobs;
using Dstack.EndToEnd.Tests.Infrastructure;

namespace Dstack.EndToEnd.Tests.Logs;

public class LogTests
{
    [Fact]
    public void Logs_KeepTheBytesExactly_ProgressBarsMissingNewlinesLongLinesAndNonUtf8()
    {
        const string yaml = """
            workflows:
              - name: bytes
                commands:
                  - printf 'progress 1\rprogress 2\rprogress 3\n'
                  - printf '\xff\xfe not utf-8\n'
                  - python3 -c "print('x' * 200000)"
                  - printf 'no final newline'
            """;
        using var sandbox = new DstackSandbox().WithWorkflows(yaml).Initialised();
        var run = sandbox.WaitUntilFinished(sandbox.Submit("bytes"));
        Assert.Equal(JobStatus.Done, run.Status);

        var bytes = sandbox.Ok("logs", run.Jobs[0].JobId).StdoutBytes;
        var expected = new List<byte>();
        expected.AddRange("progress 1\rprogress 2\rprogress 3\n"u8.ToArray());
        expected.AddRange(new byte[] { 0xff, 0xfe });
        expected.AddRange(" not utf-8\n"u8.ToArray());
        expected.AddRange(Encoding.ASCII.GetBytes(new string('x', 200000) + "\n"));
        expected.AddRange("no final newline"u8.ToArray());
        Assert.Equal(expected.ToArray(), bytes);
    }

    [Fact]
    public void Logs_OfARunWithSeveralJobs_PrefixEachLineWithItsWorkflow()
    {
        const string yaml = """
            workflows:
              - name: first
                commands: [echo one]
              - name: second
                depends-on: [first]
                commands: [echo two]
            """;
        using var sandbox = new DstackSandbox().WithWorkflows(yaml).Initialised();
        var runName = sandbox.Submit("second");
        sandbox.WaitUntilFinished(runName);

        var lines = sandbox.Ok("logs", runName).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var one = Array.FindIndex(lines, l => l.Contains("first") && l.EndsWith("one", StringComparison.Ordinal));
        var two = Array.FindIndex(lines, l => l.Contains("second") && l.EndsWith("two", StringComparison.Ordinal));
        Assert.True(one >= 0 && two > one, string.Join('\n', lines));
    }

    [Fact]
    public async Task LogsFollow_ShowsLinesWhileTheJobRuns_AndEndsWhenItFinishes()
    {
        var release = Path.Combine(Path.GetTempPath(), "dstack-release-" + Guid.NewGuid().ToString("N"));
        var yaml = $$"""
            workflows:
              - name: slow
                commands:
                  - echo first line
                  - for i in $(seq 1 600); do test -f {{release}} && break; sleep 0.1; done
                  - echo last line
            """;
        using var sandbox = new DstackSandbox().WithWorkflows(yaml).Initialised();
        var runName = sandbox.Submit("slow");

        using var follower = sandbox.Start("logs", "-f", runName);
        try
        {
            var firstLine = await follower.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Contains("first line", firstLine);
            Assert.False(follower.HasExited);

            File.WriteAllText(release, "go");
            var rest = await follower.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Contains("last line", rest);
            Assert.True(follower.WaitForExit(TimeSpan.FromSeconds(30)));
            Assert.Equal(0, follower.ExitCode);
        }
        finally
        {
            if (!follower.HasExited) follower.Kill();
            File.Delete(release);
        }
    }

    [Fact]
    public void Logs_Since_ShowsOnlyLaterOutput()
    {
        using var sandbox = new DstackSandbox().WithWorkflows("workflows:\n  - name: a\n    commands: [echo hello]\n").Initialised();
        var run = sandbox.WaitUntilFinished(sandbox.Submit("a"));

        Assert.Contains("hello", sandbox.Ok("logs", run.RunName, "--since", "1h").Stdout);
        var future = DateTimeOffset.UtcNow.AddMinutes(5).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        Assert.DoesNotContain("hello", sandbox.Ok("logs", run.RunName, "-s", future).Stdout);
        Assert.NotEqual(0, sandbox.Dstack("logs", run.RunName, "-s", "yesterday-ish").ExitCode);
    }

    [Fact]
    public void AJobPrinting100MegabytesOfOutput_LosesNoLine_AndTheServerStaysResponsive()
    {
        // 1,048,576 numbered lines of 100 bytes each = 100 MiB.
        const string yaml = """
            workflows:
              - name: flood
                commands:
                  - python3 -c "import sys; w=sys.stdout.write; [w('%099d\n' % i) for i in range(1048576)]"
            """;
        using var sandbox = new DstackSandbox().WithWorkflows(yaml).Initialised();
        var runName = sandbox.Submit("flood");

        // While the flood is going on, status still answers promptly.
        var timer = Stopwatch.StartNew();
        sandbox.Ok("status");
        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(20), $"status took {timer.Elapsed}");

        var run = sandbox.WaitUntilFinished(runName, TimeSpan.FromMinutes(5));
        Assert.Equal(JobStatus.Done, run.Status);
        var logs = sandbox.Ok("logs", run.Jobs[0].JobId).StdoutBytes;
        Assert.Equal(1048576L * 100, logs.LongLength);
        var text = Encoding.ASCII.GetString(logs);
        Assert.StartsWith(0.ToString("D99", System.Globalization.CultureInfo.InvariantCulture) + "\n", text);
        Assert.EndsWith(1048575.ToString("D99", System.Globalization.CultureInfo.InvariantCulture) + "\n", text);
    }
}
