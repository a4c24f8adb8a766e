using Dstack.Runner.Workspace;

namespace Dstack.Runner.Blobs;

/// <summary>
/// The blob store's inbox, when the store is on this machine (<see cref="LocalBlobStore"/>): a finished job's
/// artifact file whose content the store lacks is moved there (hashed once, before), and taken by
/// the store with a rename. Keeping a large artifact then costs one read, where an upload costs two reads, two hashes
/// and a copy. Only for the final upload: while a job runs, its files stay where it writes them.
/// </summary>
public sealed class BlobInbox(string folder)
{
    public string Folder { get; } = folder;

    /// <summary>
    /// Moves the file into the inbox and returns its new path; null when it is not a plain file with one link (a hard
    /// link would let whatever holds the other name write into the stored blob) or cannot be moved.
    /// </summary>
    public string? TryMoveIn(string path)
    {
        if (FileStamp.Read(path) is not { IsRegularFile: true, Links: 1 }) return null;
        var target = Path.Combine(Folder, Guid.NewGuid().ToString("N"));
        try
        {
            // A rename on one filesystem; across two, .NET copies then deletes: still one copy, as an upload would be.
            File.Move(path, target);
            return target;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
