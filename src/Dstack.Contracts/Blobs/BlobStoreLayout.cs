namespace Dstack.Contracts.Blobs;

/// <summary>
/// The folders of a store of blobs on local disk: the server's store owns them, and a runner on the same machine (the
/// built-in one) reads blobs and writes into the inbox there (docs/adr/0009-artifacts-moved-into-the-store.md).
/// </summary>
public static class BlobStoreLayout
{
    /// <summary>A blob's file: ROOT/ab/abcdef... (the caller checks the name with <see cref="BlobHash.IsValid"/>).</summary>
    public static string FileOf(string root, string sha256) => Path.Combine(root, sha256[..2], sha256);

    /// <summary>Where a runner moves files for the store to take: on the store's filesystem, so taking one is a rename.</summary>
    public static string InboxOf(string root) => Path.Combine(root, "inbox");

    /// <summary>Inbox names are a runner's own (a GUID's hex): nothing that could name a path elsewhere.</summary>
    public static bool IsInboxName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}
