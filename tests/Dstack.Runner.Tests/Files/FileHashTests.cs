using System.Security.Cryptography;
using Dstack.Runner.Files;

namespace Dstack.Runner.Tests.Files;

public sealed class FileHashTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dstack-filehash-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData((1 << 20) - 1)]
    [InlineData(1 << 20)]
    [InlineData((5 << 19) + 17)] // two and a half blocks
    public void TheHashAndSizeAreThoseOfTheWholeFile(int size)
    {
        var content = new byte[size];
        new Random(size).NextBytes(content);
        var path = Path.Combine(_folder, "data.bin");
        File.WriteAllBytes(path, content);

        var (sha256, length) = FileHash.Compute(path, CancellationToken.None);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), sha256);
        Assert.Equal(size, length);
    }

    [Fact]
    public void ACancelledHashStops()
    {
        var path = Path.Combine(_folder, "big.bin");
        File.WriteAllBytes(path, new byte[3 << 20]);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => FileHash.Compute(path, cancelled.Token));
    }
}
