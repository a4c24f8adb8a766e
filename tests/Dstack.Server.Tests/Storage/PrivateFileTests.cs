using System.Text;
using Dstack.Server.Storage;

namespace Dstack.Server.Tests.Storage;

public sealed class PrivateFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dstack-private-").FullName;

    [Fact]
    public void ReadOrCreate_RacedByManyThreads_GivesEveryoneTheSameContent_InAnOwnerOnlyFile()
    {
        // Several rounds: a check-then-rename loses such a race only now and then.
        for (var round = 0; round < 10; round++)
        {
            var path = Path.Combine(_folder, $"token-{round}");
            var seen = Enumerable.Range(0, 16).AsParallel().WithDegreeOfParallelism(16)
                .Select(i => Encoding.UTF8.GetString(PrivateFile.ReadOrCreate(path, () => Encoding.UTF8.GetBytes($"token-{i}"))))
                .ToList();

            Assert.Single(seen.Distinct());
            Assert.Equal(seen[0], File.ReadAllText(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        Assert.Equal(10, Directory.EnumerateFiles(_folder).Count());
    }

    [Fact]
    public void ReadOrCreate_RefusesAnEmptyFile_SayingHowToRecover()
    {
        var path = Path.Combine(_folder, "secret.key");
        File.WriteAllBytes(path, []);

        var error = Assert.Throws<IOException>(() => PrivateFile.ReadOrCreate(path, () => [1, 2, 3]));

        Assert.Contains("is empty", error.Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
