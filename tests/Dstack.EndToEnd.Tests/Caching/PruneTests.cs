using Dstack.EndToEnd.Tests.Infrastructure;

namespace Dstack.EndToEnd.Tests.Caching;

public class PruneTests
{
    [Fact]
    public void Prune_ListsFirstWithDryRun_ThenRemovesUntaggedFinishedRunsWithTheirLogsAndArtifacts_AndKeepsWhatTaggedRunsUse()
    {
        using var sandbox = new DstackSandbox();
        var yaml = """
            workflows:
              - name: shared
                commands:
                  - mkdir -p out && echo shared-bytes > out/shared.txt
                artifacts: [out]
              - name: unique
                commands:
                  - mkdir -p out && head -c 100000 /dev/urandom > out/unique.bin && echo unique-log-line
                artifacts: [out]
              - name: kept
                depends-on: [shared]
                commands: [echo kept]
            """;
        sandbox.WithWorkflows(yaml).Initialised();
        var old = sandbox.WaitUntilFinished(sandbox.Submit("unique"));
        var sharedRun = sandbox.WaitUntilFinished(sandbox.Submit("shared"));
        var keptRun = sandbox.WaitUntilFinished(sandbox.Submit("kept"));
        Assert.True(keptRun.Jobs.Single(j => j.Workflow == "shared").Reused);
        sandbox.Ok("tag", keptRun.RunName, "keep-me");
        var blobsBefore = BlobFiles(sandbox);

        var dry = sandbox.Ok("prune", "--dry-run").Stdout;
        Assert.Contains(old.RunName, dry);
        Assert.DoesNotContain(sharedRun.RunName, dry);
        Assert.DoesNotContain(keptRun.RunName, dry);
        Assert.Equal(blobsBefore, BlobFiles(sandbox));
        Assert.Contains("unique-log-line", sandbox.Ok("logs", old.RunName).Stdout);

        var pruned = sandbox.Ok("prune").Stdout;

        Assert.Contains(old.RunName, pruned);
        Assert.NotEqual(0, sandbox.Dstack("logs", old.RunName).ExitCode);
        Assert.NotEqual(0, sandbox.Dstack("artifacts", old.Jobs.Single().JobId).ExitCode);
        Assert.Equal(sharedRun.RunName, sandbox.Run(sharedRun.RunName).RunName);
        var output = Path.Combine(sandbox.Root, "download");
        sandbox.Ok("artifacts", keptRun.RunName, "-o", output);
        Assert.Equal("shared-bytes\n", File.ReadAllText(Path.Combine(output, "shared", "out", "shared.txt")));
        Assert.True(BlobFiles(sandbox) < blobsBefore, "the pruned run's unique artifact is still stored");
        Assert.Contains("nothing to prune", sandbox.Ok("prune").Stdout);
    }

    private static int BlobFiles(DstackSandbox sandbox) =>
        Directory.EnumerateFiles(Path.Combine(sandbox.Home, "blobs"), "*", SearchOption.AllDirectories).Count();
}
