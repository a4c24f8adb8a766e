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
    /// The file's content, creating it first with <paramref name="create"/> when it does not exist. CreateNew makes
    /// two processes racing here agree on one content: the loser reads the winner's file.
    /// </summary>
    public static byte[] ReadOrCreate(string path, Func<byte[]> create)
    {
        if (!File.Exists(path))
        {
            try
            {
                var content = create();
                using var stream = new FileStream(path, CreateOptions(FileMode.CreateNew));
                stream.Write(content);
                stream.Flush(flushToDisk: true);
                return content;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: use theirs.
            }
        }
        return File.ReadAllBytes(path);
    }

    private static FileStreamOptions CreateOptions(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        return options;
    }
}
