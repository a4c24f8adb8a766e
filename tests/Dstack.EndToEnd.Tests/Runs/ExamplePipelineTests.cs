using Dstack.Contracts.Jobs;
using Dstack.EndToEnd.Tests.Infrastructure;

namespace Dstack.EndToEnd.Tests.Runs;

/// <summary>The example pipeline in this repository's own `.dstack/`, the one the README's first command runs.</summary>
public class ExamplePipelineTests
{
    [Fact]
    public void TheExamplePipeline_RunsDownloadAndEncodeThenFinetune_AndKeepsTheCheckpointAndSamples()
    {
        using var sandbox = new DstackSandbox();
        var source = FindRepositoryRoot();
        Folders.Copy(Path.Combine(source, ".dstack"), Path.Combine(sandbox.Repo.Path, ".dstack"));
        Folders.Copy(Path.Combine(source, "example"), Path.Combine(sandbox.Repo.Path, "example"));
        sandbox.Repo.CommitAll("example").Push();
        sandbox.Initialised();

        var help = sandbox.Ok("run", "finetune-model", "--help").Stdout;
        Assert.Contains("--model", help);
        Assert.Contains("--steps", help);

        var result = sandbox.Dstack("run", "finetune-model", "--steps", "50", "-f");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("final loss", result.Stdout);

        var run = sandbox.Status("--last", "1").Single();
        Assert.Equal(JobStatus.Done, run.Status);
        Assert.Equal("finetune-model", run.Jobs[^1].Workflow);
        Assert.Equal(["download-model", "encode-dataset"], run.Jobs.Take(2).Select(j => j.Workflow).Order());

        var output = Path.Combine(sandbox.Root, "out");
        sandbox.Ok("artifacts", run.Jobs[^1].JobId, "-o", output);
        Assert.True(File.Exists(Path.Combine(output, "checkpoint", "model.json")));
        Assert.True(new FileInfo(Path.Combine(output, "samples", "sample.txt")).Length > 0);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dstack.sln")) && Directory.Exists(Path.Combine(dir.FullName, ".dstack"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no Dstack.sln with a .dstack folder above {AppContext.BaseDirectory}");
    }
}
