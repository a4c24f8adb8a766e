namespace Dstack.Runner.Files;

/// <summary>
/// Rewrites a small file that is rewritten for every job (a slot's script, its job record) over its old bytes,
/// never truncating it: ext4 writes out a file truncated to zero and written again when it is closed (auto_da_alloc),
/// about 0.1 ms of CPU and 0.3 ms of waiting each time here, against 5 µs in place. Bytes past the new content are
/// overwritten with a filler its reader skips (a newline for bash, a space for JSON).
/// </summary>
public static class InPlaceFile
{
    public static void Write(string path, ReadOnlySpan<byte> content, byte filler)
    {
        using var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        var length = RandomAccess.GetLength(handle);
        RandomAccess.Write(handle, content, 0);
        if (length <= content.Length) return;
        var rest = new byte[length - content.Length];
        Array.Fill(rest, filler);
        RandomAccess.Write(handle, rest, content.Length);
    }

    /// <summary>True when the file holds nothing but the filler (a cleared record).</summary>
    public static bool IsBlank(ReadOnlySpan<byte> content, byte filler) => !content.ContainsAnyExcept(filler);
}
