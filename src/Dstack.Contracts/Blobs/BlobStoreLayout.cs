namespace Dstack.Contracts.Blobs;

/// <summary>
/// The folders of a store of blobs on local disk: the server's store owns them, and a runner on the same machine (the
/// built-in one) reads blobs and writes into the inbox there (docs/adr/0009-artifacts-moved-into-the-store.md).
/// </summary>
public static class BlobStoreLayout
{
    /// <summary>The store of the server whose state is in DSTACK_HOME (the embedded one's, and its built-in runner's).</summary>
    public static string StoreOf(string home) => Path.Combine(home, "blobs");

    /// <summary>A blob's file: ROOT/ab/abcdef... (the caller checks the name with <see cref="BlobHash.IsValid"/>).</summary>
    public static string FileOf(string root, string sha256) => Path.Combine(root, sha256[..2], sha256);

    /// <summary>
    /// A blob's file in the store for reading, or null when the store does not have it (readably), or the name is not a
    /// hash (so never a path elsewhere). Unbuffered and blocking: its readers take large blocks, each a plain read(), where
    /// an asynchronous read would hop through the thread pool on Linux. What is read is checked against the hash by
    /// whoever reads it, as a download is.
    /// </summary>
    public static FileStream? TryOpenRead(string root, string sha256)
    {
        if (!BlobHash.IsValid(sha256)) return null;
        try
        {
            return new FileStream(FileOf(root, sha256), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Where a runner moves files for the store to take: on the store's filesystem, so taking one is a rename.</summary>
    public static string InboxOf(string root) => Path.Combine(root, "inbox");

    /// <summary>Inbox names are a runner's own (a GUID's hex): nothing that could name a path elsewhere.</summary>
    public static bool IsInboxName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}
