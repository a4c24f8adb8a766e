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
    public async Task AFileOfManyBlocks_ArrivesBitIdentical()
    {
        // Blocks of 1 MiB, one written while the next is read: a file of several blocks and a partial last one.
        var bytes = RandomNumberGenerator.GetBytes(5 * 1024 * 1024 + 12_345);
        var summary = await Downloader().DownloadAsync(Plan(Store("models/big.bin", bytes)), null, default);
        Assert.Equal(1, summary.Downloaded);
        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(Output, "models/big.bin")));
    }

    [Fact]
    public async Task AFileOfManyBlocksDamagedNearItsEnd_IsRefusedAndLeavesNoFileBehind()
    {
        var bytes = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);
        var file = Store("models/big.bin", bytes);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(Path.Combine(Blobs, file.Sha256[..2], file.Sha256), bytes);
        var error = await Assert.ThrowsAsync<CliException>(() => Downloader().DownloadAsync(Plan(file), null, default));
        Assert.Contains("models/big.bin arrived damaged", error.Message);
        Assert.Empty(Directory.GetFiles(Path.Combine(Output, "models")));
    }

    [Fact]
    public async Task ASourceThatFailsHalfWay_LeavesNoFileBehind()
    {
        var file = Store("models/big.bin", RandomNumberGenerator.GetBytes(4 * 1024 * 1024));
        var downloader = new ArtifactDownloader((sha, _) => Task.FromResult<Stream>(new FailingAfter(File.ReadAllBytes(Path.Combine(Blobs, sha[..2], sha)), 2 * 1024 * 1024)));
        await Assert.ThrowsAsync<IOException>(() => downloader.DownloadAsync(Plan(file), null, default));
        Assert.Empty(Directory.GetFiles(Path.Combine(Output, "models")));
    }

    [Fact]
    public async Task ABlobLongerThanListed_IsRefusedOnceItPassesItsSize_NotCopiedToItsEnd()
    {
        var file = Store("models/w.bin", "listed bytes"u8.ToArray());
        var downloader = new ArtifactDownloader((_, _) => Task.FromResult<Stream>(new NeverEnding()));
        var error = await Assert.ThrowsAsync<CliException>(() => downloader.DownloadAsync(Plan(file), null, default));
        Assert.Contains("models/w.bin arrived damaged", error.Message);
        Assert.Empty(Directory.GetFiles(Path.Combine(Output, "models")));
    }

    /// <summary>A source that never ends, as a device put where a blob's file was.</summary>
    private sealed class NeverEnding : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(buffer.Length);
    }

    /// <summary>Gives the first bytes of its content, then fails as a connection that broke would.</summary>
    private sealed class FailingAfter(byte[] content, int failAt) : MemoryStream(content)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= failAt) throw new IOException("the connection broke");
            return await base.ReadAsync(buffer[..(int)Math.Min(buffer.Length, failAt - Position)], cancellationToken);
        }
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
