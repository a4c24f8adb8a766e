using Dstack.Cli.Artifacts;
using Dstack.Cli.Terminal;
using Dstack.Contracts.Artifacts;

namespace Dstack.Cli.Tests.Artifacts;

public class ArtifactDownloaderPlanTests
{
    private static JobArtifacts Job(string workflow, params string[] paths) => new()
    {
        JobId = "aaaaaaaaaaaa",
        Workflow = workflow,
        Files = paths.Select(p => new ArtifactFile { Artifact = "models", Path = p, Size = 1, Sha256 = new string('0', 64) }).ToList(),
    };

    [Fact]
    public void AJobsFilesGoUnderTheFolderAtTheirPaths()
    {
        var plans = ArtifactDownloader.Plan([Job("download-model", "models/a.bin")], "/tmp/out", perWorkflow: false);
        Assert.Equal("/tmp/out/models/a.bin", plans.Single().Destination);
    }

    [Fact]
    public void ARunsJobsFilesGoUnderTheirWorkflowsFolder()
    {
        var plans = ArtifactDownloader.Plan([Job("download-model", "models/a.bin"), Job("train", "models/b.bin")], "/tmp/out", perWorkflow: true);
        Assert.Equal(["/tmp/out/download-model/models/a.bin", "/tmp/out/train/models/b.bin"], plans.Select(p => p.Destination));
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("models/../../escape.txt")]
    [InlineData("/etc/passwd")]
    public void APathLeadingOutOfTheFolderIsRefused(string path)
    {
        var error = Assert.Throws<CliException>(() => ArtifactDownloader.Plan([Job("w", path)], "/tmp/out", perWorkflow: false));
        Assert.Contains("unsafe path", error.Message);
    }

    [Theory]
    [InlineData("models", "models/124M/encoder.json", "124M/encoder.json")]
    [InlineData("model.bin", "model.bin", "model.bin")]
    [InlineData("out/", "out/x", "x")]
    public void TheFileColumnIsThePathInsideItsArtifact(string artifact, string path, string expected)
    {
        Assert.Equal(expected, ArtifactTable.PathInArtifact(new ArtifactFile { Artifact = artifact, Path = path, Size = 0, Sha256 = "" }));
    }
}
