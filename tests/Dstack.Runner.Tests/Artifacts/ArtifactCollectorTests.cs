using Dstack.Runner.Artifacts;
using Dstack.Runner.Tests.Support;

namespace Dstack.Runner.Tests.Artifacts;

public sealed class ArtifactCollectorTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly string _root;
    private readonly string _workDir;

    public ArtifactCollectorTests()
    {
        _root = Directory.CreateDirectory(_temp.Combine("ws")).FullName;
        _workDir = Directory.CreateDirectory(_temp.Combine("ws", "src")).FullName;
    }

    private void Write(string relative, string content = "x")
    {
        var path = Path.Combine(_workDir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    [Fact]
    public void AFolderIsWalkedRecursively_WithPathsRelativeToTheWorkingDirAndModes()
    {
        Write("models/124M/encoder.json");
        Write("models/124M/vocab/bpe.txt");
        Write("models/run.sh");
        File.SetUnixFileMode(Path.Combine(_workDir, "models/run.sh"), (UnixFileMode)0x1ED);
        Write("report.txt");

        var collected = ArtifactCollector.Collect(_root, _workDir, ["models", "report.txt"]);

        Assert.Equal(
            ["models/124M/encoder.json", "models/124M/vocab/bpe.txt", "models/run.sh", "report.txt"],
            collected.Files.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.All(collected.Files.Where(f => f.Path.StartsWith("models/", StringComparison.Ordinal)), f => Assert.Equal("models", f.Artifact));
        Assert.Equal(0x1ED, collected.Files.Single(f => f.Path == "models/run.sh").Mode);
        Assert.Equal(0x1A4, collected.Files.Single(f => f.Path == "report.txt").Mode & 0x1A4);
        Assert.Empty(collected.Missing);
    }

    [Fact]
    public void AnArtifactThatDoesNotExistIsMissing_AndTheOthersAreStillCollected()
    {
        Write("checkpoint/model.bin");

        var collected = ArtifactCollector.Collect(_root, _workDir, ["checkpoint", "samples"]);

        Assert.Equal(["samples"], collected.Missing);
        Assert.Equal(["checkpoint/model.bin"], collected.Files.Select(f => f.Path));
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("/etc")]
    [InlineData("models/../../outside")]
    public void AnArtifactOutsideTheWorkingDirIsRefused(string artifact)
    {
        File.WriteAllText(_temp.Combine("outside"), "secret");

        var collected = ArtifactCollector.Collect(_root, _workDir, [artifact]);

        Assert.Empty(collected.Files);
        Assert.Single(collected.Refused);
        Assert.StartsWith($"artifact '{artifact}' ", collected.Refused[0]);
    }

    [Fact]
    public void SymbolicLinksOutOfTheWorkspaceAreSkipped_LinksInsideItAreKept()
    {
        File.WriteAllText(_temp.Combine("secret.txt"), "secret");
        Write("out/data.txt", "data");
        File.CreateSymbolicLink(Path.Combine(_workDir, "out", "escape.txt"), _temp.Combine("secret.txt"));
        File.CreateSymbolicLink(Path.Combine(_workDir, "out", "alias.txt"), Path.Combine(_workDir, "out", "data.txt"));
        Directory.CreateSymbolicLink(Path.Combine(_workDir, "out", "loop"), _workDir);

        var collected = ArtifactCollector.Collect(_root, _workDir, ["out"]);

        Assert.Equal(["out/alias.txt", "out/data.txt"], collected.Files.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Contains(collected.Skipped, s => s.StartsWith("out/escape.txt", StringComparison.Ordinal));
        Assert.Contains(collected.Skipped, s => s.StartsWith("out/loop", StringComparison.Ordinal));
    }

    [Fact]
    public void AnArtifactThatIsALinkOutOfTheWorkspaceIsRefused()
    {
        Directory.CreateDirectory(_temp.Combine("elsewhere"));
        File.WriteAllText(_temp.Combine("elsewhere", "f"), "x");
        Directory.CreateSymbolicLink(Path.Combine(_workDir, "models"), _temp.Combine("elsewhere"));

        var collected = ArtifactCollector.Collect(_root, _workDir, ["models"]);

        Assert.Empty(collected.Files);
        Assert.Equal(["artifact 'models' points outside the workspace"], collected.Refused);
    }

    public void Dispose() => _temp.Dispose();
}
