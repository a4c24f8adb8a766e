using System.Security.Cryptography;
using Dstack.Runner.Artifacts;
using Dstack.Runner.Tests.Support;

namespace Dstack.Runner.Tests.Artifacts;

public sealed class HashesAheadTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task EachPathGetsItsHash_AndAFileNotToHashHere_None()
    {
        var contents = Enumerable.Range(0, 3 * Environment.ProcessorCount).Select(i => RandomNumberGenerator.GetBytes(1000 + i)).ToList();
        var paths = new List<string?>();
        for (var i = 0; i < contents.Count; i++)
        {
            var path = _temp.Combine($"f{i}");
            await File.WriteAllBytesAsync(path, contents[i]);
            paths.Add(i % 4 == 3 ? null : path);
        }

        await using var ahead = new HashesAhead(paths, CancellationToken.None);

        for (var i = 0; i < paths.Count; i++)
        {
            var hash = ahead.Get(i);
            if (paths[i] is null)
            {
                Assert.Null(hash);
                continue;
            }
            Assert.Equal((Convert.ToHexStringLower(SHA256.HashData(contents[i])), contents[i].LongLength), await hash!);
        }
    }

    [Fact]
    public async Task AHashThatFails_IsReportedByItsTask_AndDisposingAfterTheUploadEndedEarly_DoesNotThrow()
    {
        var paths = new List<string?> { _temp.Combine("gone") };
        for (var i = 0; i < 2 * Environment.ProcessorCount; i++)
        {
            var path = _temp.Combine($"f{i}");
            await File.WriteAllBytesAsync(path, RandomNumberGenerator.GetBytes(2 << 20));
            paths.Add(path);
        }
        var ahead = new HashesAhead(paths, CancellationToken.None);

        await Assert.ThrowsAsync<FileNotFoundException>(() => ahead.Get(0)!);
        // The upload ends there: the hashes started ahead are stopped or awaited, whatever became of them.
        await ahead.DisposeAsync();
    }
}
