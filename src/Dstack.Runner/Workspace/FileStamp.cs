using System.Runtime.InteropServices;

namespace Dstack.Runner.Workspace;

/// <summary>
/// What lstat says of a path, enough to tell that it changed: inode, size, mode (type and permissions), link count and the
/// modification and change times in nanoseconds. Any write, chmod, replacement or rename changes one of them; the
/// change time cannot be set back by a process, so a change is never hidden (see <see cref="CheckoutSnapshot"/> for
/// the one case it can miss: a change within the same clock tick as the stamp).
/// </summary>
public readonly partial record struct FileStamp(ulong Inode, ulong Size, uint Mode, uint Links, long ModifiedNs, long ChangedNs)
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;
    private const uint TypeMask = 0xF000;
    private const uint SymbolicLink = 0xA000;
    private const uint RegularFile = 0x8000;

    /// <summary>How close to a change a stamp may be taken and still hide a second change in the same clock tick.</summary>
    private const long RacyWindowNs = 1_000_000_000;

    public bool IsSymbolicLink => (Mode & TypeMask) == SymbolicLink;

    /// <summary>
    /// True when this stamp, taken at <paramref name="stampedAtNs"/>, is too close to the path's last change to tell a
    /// later change in the same clock tick (git's "racily clean"): such a path is checked by content.
    /// </summary>
    public bool IsRacyAt(long stampedAtNs) => ChangedNs >= stampedAtNs - RacyWindowNs;

    /// <summary>The wall clock in the stamps' unit, nanoseconds since the epoch.</summary>
    public static long NowNs() => (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;

    public bool IsRegularFile => (Mode & TypeMask) == RegularFile;

    private static bool s_unsupported;

    /// <summary>
    /// The stamp of the path itself (a symbolic link is not followed), or null when nothing is there or this libc has
    /// no statx (glibc before 2.28): callers then take the slower way (git, an upload) rather than fail.
    /// </summary>
    public static FileStamp? Read(string path)
    {
        if (s_unsupported) return null;
        // statx, not stat: its layout is the same on every architecture, so one declaration serves x64 and arm64.
        StatxData data;
        try
        {
            if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, out data) != 0) return null;
        }
        catch (EntryPointNotFoundException)
        {
            s_unsupported = true;
            return null;
        }
        return new FileStamp(data.Inode, data.Size, data.Mode, data.Links,
            data.ModifiedSeconds * 1_000_000_000 + data.ModifiedNanoseconds,
            data.ChangedSeconds * 1_000_000_000 + data.ChangedNanoseconds);
    }

    /// <summary>struct statx of linux/stat.h: only the fields read here, at their fixed offsets.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxData
    {
        [FieldOffset(16)] public uint Links;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(96)] public long ChangedSeconds;
        [FieldOffset(104)] public uint ChangedNanoseconds;
        [FieldOffset(112)] public long ModifiedSeconds;
        [FieldOffset(120)] public uint ModifiedNanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Statx(int directory, string path, int flags, uint mask, out StatxData data);
}
