using Dstack.Contracts.Blobs;

namespace Dstack.Server.Blobs;

/// <summary>
/// A folder of the blob store that a runner on the server's machine (the built-in one) moves finished artifact files
/// into, so that keeping a large artifact costs one read (the runner's hash) and a rename, not an upload and a copy.
/// The server takes the runner's hash as it is: whoever can write into this folder can write the store itself.
/// </summary>
public interface IBlobInbox
{
    /// <summary>The inbox folder: `inbox` in the store's folder, which the built-in runner learns from DSTACK_RUNNER_BLOB_STORE.</summary>
    string Folder { get; }

    /// <summary>
    /// Takes the inbox file <paramref name="name"/> as the blob <paramref name="sha256"/> (kept once if already stored);
    /// null when there is no such file. A size that does not match deletes the file and throws InvalidDataException.
    /// </summary>
    BlobRef? Adopt(string name, string sha256, long size);
}
