using System.Security.Cryptography;
using Dstack.Cli.Artifacts;
using Dstack.Cli.Terminal;
using Dstack.Cli.Tests.Support;
using Dstack.Contracts.Artifacts;

namespace Dstack.Cli.Tests.Artifacts;

/// <summary>Downloads from a content-addressed folder laid out like the server's blob store (blobs/ab/abcdef...).</summary>
public class ArtifactDownloaderTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly List<string> _opened = [];

    private string Blobs => Path.Combine(_folder.Path, "blobs");
    private string Output => Path.Combine(_folder.Path, "out");

    private ArtifactFile Store(string path, byte[] content, int mode = 420)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        Directory.CreateDirectory(Path.Combine(Blobs, sha[..2]));
        File.WriteAllBytes(Path.Combine(Blobs, sha[..2], sha), content);
        return new ArtifactFile { Artifact = "models", Path = path, Size = content.Length, Sha256 = sha, Mode = mode };
    }

    private ArtifactDownloader Downloader() => new((sha, _) =>
    {
        _opened.Add(sha);
        return Task.FromResult<Stream>(File.OpenRead(Path.Combine(Blobs, sha[..2], sha)));
    });

    private List<DownloadPlan> Plan(params ArtifactFile[] files) =>
        ArtifactDownloader.Plan([new JobArtifacts { JobId = "aaaaaaaaaaaa", Workflow = "w", Files = files }], Output, perWorkflow: false);

    [Fact]
    public async Task FilesArriveBitIdenticalWithTheirMode()
    {
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        var plans = Plan(Store("models/w.bin", bytes), Store("models/run.sh", "#!/bin/sh\n"u8.ToArray(), mode: Convert.ToInt32("755", 8)));
        var summary = await Downloader().DownloadAsync(plans, null, default);
        Assert.Equal(new ArtifactDownloader.Summary(2, 0, 300_010), summary);
        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(Output, "models/w.bin")));
        Assert.True(File.GetUnixFileMode(Path.Combine(Output, "models/run.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.Empty(Directory.GetFiles(Path.Combine(Output, "models"), "*.part"));
    }

    [Fact]
    public async Task AnUnchangedFileIsNotDownloadedAgainButAChangedOneIs()
    {
        var same = Store("models/same.txt", "same"u8.ToArray());
        var changed = Store("models/changed.txt", "new content"u8.ToArray());
        Directory.CreateDirectory(Path.Combine(Output, "models"));
        File.WriteAllText(Path.Combine(Output, "models/same.txt"), "same");
        File.WriteAllText(Path.Combine(Output, "models/changed.txt"), "old content"); // same size, other bytes

        var summary = await Downloader().DownloadAsync(Plan(same, changed), null, default);
        Assert.Equal(1, summary.Skipped);
        Assert.Equal(1, summary.Downloaded);
        Assert.Equal([changed.Sha256], _opened);
        Assert.Equal("new content", File.ReadAllText(Path.Combine(Output, "models/changed.txt")));
    }

    [Fact]
    public async Task ADamagedDownloadIsRefusedAndLeavesNoFileBehind()
    {
        var file = Store("models/w.bin", "good bytes"u8.ToArray());
        File.WriteAllText(Path.Combine(Blobs, file.Sha256[..2], file.Sha256), "evil bytes");
        var error = await Assert.ThrowsAsync<CliException>(() => Downloader().DownloadAsync(Plan(file), null, default));
        Assert.Contains("models/w.bin arrived damaged", error.Message);
        Assert.False(File.Exists(Path.Combine(Output, "models/w.bin")));
        Assert.Empty(Directory.GetFiles(Path.Combine(Output, "models")));
    }

    [Fact]
    public async Task ProgressReachesEveryFilesSize()
    {
        var a = Store("models/a", new byte[70_000]);
        var b = Store("models/b", new byte[10]);
        var last = new Dictionary<string, long>();
        await Downloader().DownloadAsync(Plan(a, b), (plan, written) => last[plan.File.Path] = written, default);
        Assert.Equal(70_000, last["models/a"]);
        Assert.Equal(10, last["models/b"]);
    }

    public void Dispose() => _folder.Dispose();
}
