using System.Globalization;
using System.Runtime.InteropServices;
using Dstack.Runner.Files;

namespace Dstack.Runner.Workspace;

/// <summary>
/// Small files that a slot's reset removes, kept aside (renamed into HOME/slots/N/spare) and given back as the next
/// files its placements write, instead of one file deleted and another created. ext4 without a journal (the bench
/// machine's disk) skips every inode deleted in the last seconds to minutes when it looks for a free one, scanning
/// from the start of the folder's block group: a fan-out's gather job, whose 500 one-file artifacts go to the root of
/// the workspace where the last run's 500 were deleted, took half a second to place them. A file kept aside is no
/// deletion, and one taken back no new inode. Only regular files with one link, writable by their owner, at most
/// <see cref="MaxSize"/> bytes and without extended attributes (ACLs included) are kept, at most <see cref="MaxCount"/> of them and <see cref="MaxBytes"/> in
/// all; the rest are deleted as before. A kept file is given back only if it is still the same inode, a regular file with
/// one link (a job can reach the folder: whatever it put there is deleted, never written through). One slot uses it at a time.
/// </summary>
public sealed partial class SpareFiles
{
    public const long MaxSize = 64 * 1024;
    public const int MaxCount = 4096;
    public const long MaxBytes = 16 * 1024 * 1024;

    private readonly string _folder;
    private readonly Stack<(string Name, long Size, ulong Inode)> _kept = new();
    private const uint OwnerWrite = 0x80;
    private long _bytes;
    private long _next;

    public SpareFiles(string folder)
    {
        _folder = folder;
        Directory.CreateDirectory(folder);
        foreach (var path in Directory.EnumerateFileSystemEntries(folder))
        {
            if (!long.TryParse(Path.GetFileName(path), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                || FileStamp.Read(path) is not { } stamp || !Keepable(stamp) || _kept.Count >= MaxCount || _bytes + (long)stamp.Size > MaxBytes)
            {
                PathEntry.Delete(path);
                continue;
            }
            _kept.Push((Path.GetFileName(path), (long)stamp.Size, stamp.Inode));
            _bytes += (long)stamp.Size;
            _next = Math.Max(_next, number + 1);
        }
    }

    public int Count => _kept.Count;

    /// <summary>Removes the file (or link) at <paramref name="path"/>: kept aside when it can be, deleted otherwise.</summary>
    public void Remove(string path)
    {
        if (_kept.Count < MaxCount && FileStamp.Read(path) is { } stamp && Keepable(stamp)
            && _bytes + (long)stamp.Size <= MaxBytes && ListExtendedAttributes(path, 0, 0) <= 0)
        {
            var name = (_next++).ToString(CultureInfo.InvariantCulture);
            try
            {
                File.Move(path, Path.Combine(_folder, name), overwrite: true);
                _kept.Push((name, (long)stamp.Size, stamp.Inode));
                _bytes += (long)stamp.Size;
                return;
            }
            catch (IOException)
            {
                // not moved (gone, or another file system): deleted below, as any other
            }
        }
        File.Delete(path);
    }

    /// <summary>Removes a folder and everything in it, the files through <see cref="Remove"/>; links are removed, never followed.</summary>
    public void RemoveFolder(string folder)
    {
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo && entry.LinkTarget is null) RemoveFolder(entry.FullName);
            else Remove(entry.FullName);
        }
        Directory.Delete(folder);
    }

    /// <summary>
    /// Moves a kept file to <paramref name="path"/> (a fresh name nobody else uses), its old bytes and mode still in it:
    /// the caller writes it whole, cuts it to its length and sets its mode. False when none is kept.
    /// </summary>
    public bool TryTakeAs(string path)
    {
        while (_kept.TryPop(out var spare))
        {
            _bytes -= spare.Size;
            try
            {
                File.Move(Path.Combine(_folder, spare.Name), path, overwrite: true);
            }
            catch (IOException)
            {
                continue; // gone from the folder (removed by hand): the next one
            }
            if (FileStamp.Read(path) is { } stamp && Keepable(stamp) && stamp.Inode == spare.Inode) return true;
            PathEntry.Delete(path); // not the file kept here: whatever stands in its place goes, and is never written through
        }
        return false;
    }

    private static bool Keepable(FileStamp stamp) =>
        stamp is { IsRegularFile: true, Links: 1 } && (stamp.Mode & OwnerWrite) != 0 && stamp.Size <= MaxSize;

    [LibraryImport("libc", EntryPoint = "llistxattr", StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial nint ListExtendedAttributes(string path, nint list, nuint size);
}
