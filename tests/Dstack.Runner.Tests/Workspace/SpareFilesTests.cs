using System.Diagnostics;
using System.Text;
using Dstack.Runner.Blobs;
using Dstack.Runner.Tests.Support;
using Dstack.Runner.Workspace;

namespace Dstack.Runner.Tests.Workspace;

public sealed class SpareFilesTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly string _work;
    private readonly SpareFiles _spares;

    public SpareFilesTests()
    {
        _work = Directory.CreateDirectory(_temp.Combine("ws")).FullName;
        _spares = new SpareFiles(_temp.Combine("spare"));
    }

    public void Dispose() => _temp.Dispose();

    private string Write(string name, string content)
    {
        var path = Path.Combine(_work, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void ASmallFile_IsKeptAside_AndGivenBackUnderAnotherName()
    {
        var path = Write("r1.txt", "input\n");
        var inode = FileStamp.Read(path)!.Value.Inode;

        _spares.Remove(path);
        var taken = _spares.TryTakeAs(Path.Combine(_work, "r2.txt.part"));

        Assert.False(File.Exists(path));
        Assert.True(taken);
        Assert.Equal(inode, FileStamp.Read(Path.Combine(_work, "r2.txt.part"))!.Value.Inode);
        Assert.False(_spares.TryTakeAs(Path.Combine(_work, "r3.txt.part")));
    }

    [Fact]
    public void WhatCannotBeKept_IsDeleted_WithoutTouchingWhatItPointsTo()
    {
        var outside = _temp.Combine("outside.txt");
        File.WriteAllText(outside, "outside\n");
        var link = Path.Combine(_work, "link");
        File.CreateSymbolicLink(link, outside);
        var linked = Path.Combine(_work, "second-name");
        Process.Start("ln", [outside, linked])!.WaitForExit();
        var large = Write("large.bin", new string('x', (int)SpareFiles.MaxSize + 1));

        _spares.Remove(link);
        _spares.Remove(linked);
        _spares.Remove(large);

        Assert.Equal(0, _spares.Count);
        Assert.False(File.Exists(link) || new FileInfo(link).LinkTarget is not null);
        Assert.False(File.Exists(linked));
        Assert.False(File.Exists(large));
        Assert.Equal("outside\n", File.ReadAllText(outside));
    }

    [Fact]
    public void AReadOnlyFile_IsDeleted_NotKept()
    {
        var path = Write("readonly.txt", "x");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead);

        _spares.Remove(path);

        Assert.Equal(0, _spares.Count);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task ALinkPutInPlaceOfAKeptFile_IsNeverWrittenThrough()
    {
        var blobs = new FolderBlobStore(_temp.Combine("blobs"));
        var sha = blobs.Put("new\n"u8.ToArray());
        _spares.Remove(Write("old.txt", "old\n"));
        var kept = Directory.GetFiles(_temp.Combine("spare")).Single();
        var outside = _temp.Combine("outside.txt");
        File.WriteAllText(outside, "outside\n");
        File.Delete(kept);
        File.CreateSymbolicLink(kept, outside); // what a job could do through ../spare
        var destination = Path.Combine(_work, "placed.txt");

        await BlobFile.DownloadAsync(blobs, sha, destination, UnixFileMode.UserRead | UnixFileMode.UserWrite, CancellationToken.None, _spares);

        Assert.Equal("outside\n", File.ReadAllText(outside));
        Assert.Equal("new\n", File.ReadAllText(destination));
        Assert.Null(new FileInfo(destination).LinkTarget);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Combine("spare")));
    }

    [Fact]
    public void AFileWithExtendedAttributes_IsDeleted()
    {
        var path = Write("tagged.txt", "x");
        var set = Process.Start(new ProcessStartInfo("python3", ["-c", "import os, sys; os.setxattr(sys.argv[1], 'user.dstack', b'1')", path])
            { RedirectStandardError = true })!;
        set.WaitForExit();
        if (set.ExitCode != 0) return; // a file system without user attributes: nothing to tell apart

        _spares.Remove(path);

        Assert.Equal(0, _spares.Count);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void AFolder_IsRemoved_ItsFilesKept_ALinkInsideRemovedNotFollowed()
    {
        var outsideFolder = Directory.CreateDirectory(_temp.Combine("outside")).FullName;
        File.WriteAllText(Path.Combine(outsideFolder, "keep.txt"), "keep");
        Write("out/a.txt", "a");
        Write("out/deep/b.txt", "b");
        Directory.CreateSymbolicLink(Path.Combine(_work, "out", "deep", "escape"), outsideFolder);

        _spares.RemoveFolder(Path.Combine(_work, "out"));

        Assert.False(Directory.Exists(Path.Combine(_work, "out")));
        Assert.Equal(2, _spares.Count);
        Assert.Equal("keep", File.ReadAllText(Path.Combine(outsideFolder, "keep.txt")));
        // A runner started again finds what it kept.
        Assert.Equal(2, new SpareFiles(_temp.Combine("spare")).Count);
    }

    [Fact]
    public async Task AKeptFile_BecomesAPlacedArtifact_WithExactlyItsBytesAndMode()
    {
        var blobs = new FolderBlobStore(_temp.Combine("blobs"));
        var sha = blobs.Put("new\n"u8.ToArray());
        var old = Write("old.txt", "old content, longer than the new one\n");
        File.SetUnixFileMode(old, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _spares.Remove(old);
        var destination = Path.Combine(_work, "placed.txt");

        await BlobFile.DownloadAsync(blobs, sha, destination, UnixFileMode.UserRead | UnixFileMode.GroupRead, CancellationToken.None, _spares);

        Assert.Equal(0, _spares.Count);
        Assert.Equal("new\n", await File.ReadAllTextAsync(destination, Encoding.UTF8));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead, File.GetUnixFileMode(destination));
        Assert.Single(Directory.GetFiles(_work)); // no .dstack-part left beside it
    }
}
