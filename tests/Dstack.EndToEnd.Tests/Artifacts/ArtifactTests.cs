using System.Security.Cryptography;
using System.Text.Json;
using Dstack.Contracts.Jobs;
using Dstack.EndToEnd.Tests.Infrastructure;

namespace Dstack.EndToEnd.Tests.Artifacts;

public class ArtifactTests
{
    private const string Yaml = """
        workflows:
          - name: make
            commands:
              - mkdir -p models/small logs
              - head -c 3000000 /dev/urandom > models/small/weights.bin
              - "echo '{\"layers\": 2}' > models/small/config.json"
              - echo done > logs/train.log
              - printf '#!/bin/sh\necho hi\n' > tool.sh && chmod +x tool.sh
            artifacts: [models, logs, tool.sh]
          - name: use
            depends-on: [make]
            commands:
              - test -f models/small/weights.bin
              - sha256sum models/small/weights.bin > checksum.txt
              - ./tool.sh
            artifacts: [checksum.txt]
        """;

    [Fact]
    public void Artifacts_ListsEachFile_AndTotalsWithT()
    {
        using var sandbox = new DstackSandbox().WithWorkflows(Yaml).Initialised();
        var run = sandbox.WaitUntilFinished(sandbox.Submit("make"));
        var job = run.Jobs.Single();

        var listing = sandbox.Ok("artifacts", job.JobId).Stdout;
        Assert.Matches(@"ARTIFACT\s+FILE\s+SIZE", listing);
        Assert.Matches(@"(?m)^models\s+small/weights\.bin\s+2\.9 MB", listing);
        Assert.Matches(@"(?m)^logs\s+train\.log\s", listing);

        var totals = sandbox.Ok("artifacts", "-t", job.JobId).Stdout;
        Assert.Matches(@"ARTIFACT\s+SIZE\s+FILES", totals);
        Assert.Matches(@"models\s+\S+.*\s2\s*$", totals.Split('\n').First(l => l.StartsWith("models", StringComparison.Ordinal)));
    }

    [Fact]
    public void ArtifactsDownload_IsBitIdentical_KeepsModes_AndSkipsUnchangedFiles()
    {
        using var sandbox = new DstackSandbox().WithWorkflows(Yaml).Initialised();
        var run = sandbox.WaitUntilFinished(sandbox.Submit("use"));
        Assert.Equal(JobStatus.Done, run.Status);
        var make = run.Jobs.Single(j => j.Workflow == "make");
        var use = run.Jobs.Single(j => j.Workflow == "use");

        var output = Path.Combine(sandbox.Root, "download");
        sandbox.Ok("artifacts", make.JobId, "--output", output);
        var weights = Path.Combine(output, "models", "small", "weights.bin");
        Assert.Equal(3000000, new FileInfo(weights).Length);
        Assert.True(File.GetUnixFileMode(Path.Combine(output, "tool.sh")).HasFlag(UnixFileMode.UserExecute));

        // The dependency's files reached the dependent job intact: its checksum matches the downloaded file.
        var useOutput = Path.Combine(sandbox.Root, "use");
        sandbox.Ok("artifacts", use.JobId, "-o", useOutput);
        var expected = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(weights)));
        Assert.StartsWith(expected, File.ReadAllText(Path.Combine(useOutput, "checksum.txt")));

        var before = File.GetLastWriteTimeUtc(weights);
        var again = sandbox.Ok("artifacts", make.JobId, "-o", output);
        Assert.Equal(before, File.GetLastWriteTimeUtc(weights));
        Assert.Contains("downloaded 0 files", again.Stdout + again.Stderr);
        Assert.Contains("4 unchanged files", again.Stdout + again.Stderr);
    }

    [Fact]
    public void ArtifactsDownload_ThroughTheServersApi_IsTheSameAsFromTheEmbeddedServersStore()
    {
        using var sandbox = new DstackSandbox().WithWorkflows(Yaml).Initialised();
        var run = sandbox.WaitUntilFinished(sandbox.Submit("make"));
        var job = run.Jobs.Single();
        var local = Path.Combine(sandbox.Root, "local");
        sandbox.Ok("artifacts", job.JobId, "-o", local);

        // Named by DSTACK_SERVER_URL, the same server is a server like any other: its store is read through its API.
        using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(sandbox.Home, "server.json")));
        sandbox.Environment["DSTACK_SERVER_URL"] = state.RootElement.GetProperty("url").GetString()!;
        sandbox.Environment["DSTACK_TOKEN"] = File.ReadAllText(Path.Combine(sandbox.Home, "token")).Trim();
        var remote = Path.Combine(sandbox.Root, "remote");
        var result = sandbox.Ok("artifacts", job.JobId, "-o", remote);
        Assert.Contains("downloaded 4 files", result.Stdout);

        foreach (var file in new[] { "models/small/weights.bin", "models/small/config.json", "logs/train.log", "tool.sh" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(local, file)), File.ReadAllBytes(Path.Combine(remote, file)));
            Assert.Equal(File.GetUnixFileMode(Path.Combine(local, file)), File.GetUnixFileMode(Path.Combine(remote, file)));
        }
    }

    [Fact]
    public void ArtifactsOfARun_DownloadEachJobIntoItsWorkflowsFolder()
    {
        using var sandbox = new DstackSandbox().WithWorkflows(Yaml).Initialised();
        var run = sandbox.WaitUntilFinished(sandbox.Submit("use"));
        var output = Path.Combine(sandbox.Root, "all");
        sandbox.Ok("artifacts", run.RunName, "-o", output);
        Assert.True(File.Exists(Path.Combine(output, "make", "models", "small", "config.json")));
        Assert.True(File.Exists(Path.Combine(output, "use", "checksum.txt")));
    }
}
