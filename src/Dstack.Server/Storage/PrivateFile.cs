using System.Text;

namespace Dstack.Server.Storage;

/// <summary>Files only the user may read (tokens, keys, server.json): created with mode 0600, replaced atomically.</summary>
public static class PrivateFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes to a temporary file beside the target, then renames it into place, so a reader never sees half a file.</summary>
    public static void WriteAtomically(string path, string content)
    {
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        using (var stream = new FileStream(temp, CreateOptions(FileMode.CreateNew)))
        {
            stream.Write(Encoding.UTF8.GetBytes(content));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// The file's content, creating it first with <paramref name="create"/> when it does not exist. The content is
    /// written whole to a temporary file and linked into place only if the name is still free, so two processes
    /// racing here agree on one content (the loser reads the winner's file) and a crash never leaves half a file.
    /// </summary>
    public static byte[] ReadOrCreate(string path, Func<byte[]> create)
    {
        if (!File.Exists(path))
        {
            var content = create();
            var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            try
            {
                using (var stream = new FileStream(temp, CreateOptions(FileMode.CreateNew)))
                {
                    stream.Write(content);
                    stream.Flush(flushToDisk: true);
                }
                // Another thread or process that created it first wins: use theirs.
                if (NewNameLink.TryCreate(temp, path)) return content;
            }
            finally
            {
                File.Delete(temp);
            }
        }
        var existing = File.ReadAllBytes(path);
        if (existing.Length == 0) throw new IOException($"{path} is empty: delete it and start again (a new one is made)");
        return existing;
    }

    private static FileStreamOptions CreateOptions(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        return options;
    }
}
