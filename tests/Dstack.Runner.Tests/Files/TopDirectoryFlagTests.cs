using Dstack.Runner.Files;
using Dstack.Runner.Tests.Support;

namespace Dstack.Runner.Tests.Files;

public sealed class TopDirectoryFlagTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void TrySet_MarksTheFolder_WhereTheFileSystemHasTheFlag_AndKeepsItsOtherFlags()
    {
        var folder = _temp.Combine("ws");
        Directory.CreateDirectory(folder);
        var before = FileFlags.Read(folder);

        var set = TopDirectoryFlag.TrySet(folder);
        var again = TopDirectoryFlag.TrySet(folder);

        var after = FileFlags.Read(folder);
        if (before is null)
        {
            Assert.False(set); // a file system without inode flags: a hint that cannot be given, not an error
            return;
        }
        Assert.True(set);
        Assert.True(again);
        Assert.Equal(before.Value | FileFlags.TopDirectory, after);
    }

    [Fact]
    public void TrySet_OnAMissingFolder_IsFalse()
    {
        Assert.False(TopDirectoryFlag.TrySet(_temp.Combine("gone")));
    }
}
