using System.Security.Cryptography;
using Dstack.Contracts.Blobs;

namespace Dstack.Server.Blobs;

/// <summary>
/// Blobs as files under Home/blobs/ab/abcdef... An upload streams to a temporary file while it is hashed (each
/// byte read once, never the whole body in memory), then is renamed into place; a blob already there is kept.
/// A runner on this machine moves files into the inbox instead (<see cref="Adopt"/>): renamed into place, not copied.
/// </summary>
public sealed class LocalDiskBlobStore : IBlobStore, IBlobInbox
{
    private readonly string _root;
    private readonly string _incoming;

    public LocalDiskBlobStore(string root)
    {
        _root = root;
        _incoming = Path.Combine(root, "incoming");
        Directory.CreateDirectory(_incoming);
        Folder = BlobStoreLayout.InboxOf(root);
        Directory.CreateDirectory(Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        RemoveAbandoned(Folder);
    }

    /// <summary>Inbox files this old were left by a runner that died before the store took them.</summary>
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromHours(1);

    public string Folder { get; }

    /// <summary>
    /// Deletes what runners that died between moving a file in and asking for its adoption left in the inbox (an hour
    /// old: a runner still at work on one is never that slow between the two).
    /// </summary>
    private static void RemoveAbandoned(string inbox)
    {
        foreach (var file in new DirectoryInfo(inbox).EnumerateFiles())
        {
            if (DateTime.UtcNow - file.LastWriteTimeUtc > AbandonedAfter) file.Delete();
        }
    }

    public BlobRef? Adopt(string name, string sha256, long size)
    {
        if (!BlobStoreLayout.IsInboxName(name)) throw new ArgumentException($"not a file name of the inbox: {name}", nameof(name));
        var path = Path.Combine(Folder, name);
        var file = new FileInfo(path);
        // Asked again after an answer that was lost: the file is already in place. The content is stored either way.
        if (!file.Exists) return SizeOf(sha256) == size ? new BlobRef(sha256, size) : null;
        if (file.LinkTarget is not null) return null;
        if (file.Length != size)
        {
            File.Delete(path);
            throw new InvalidDataException($"the file {name} has {file.Length} bytes, not {size}");
        }
        var target = PathOf(sha256);
        if (!File.Exists(target))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            try
            {
                File.Move(path, target, overwrite: false);
            }
            catch (IOException) when (File.Exists(target))
            {
                // the same content arrived meanwhile: keep it
            }
        }
        File.Delete(path); // still here only when the blob was already stored
        return new BlobRef(sha256, size);
    }

    public async Task<BlobRef> PutAsync(Stream content, CancellationToken ct)
    {
        var temp = Path.Combine(_incoming, Guid.NewGuid().ToString("N"));
        try
        {
            string sha256;
            long size = 0;
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 20];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                    size += read;
                }
                sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            }
            var target = PathOf(sha256);
            if (!File.Exists(target))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                try
                {
                    File.Move(temp, target, overwrite: false);
                }
                catch (IOException) when (File.Exists(target))
                {
                    // A concurrent upload of the same content won: same bytes, keep theirs.
                }
            }
            return new BlobRef(sha256, size);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public Stream? OpenRead(string sha256)
    {
        var path = PathOf(sha256);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    public bool Exists(string sha256) => File.Exists(PathOf(sha256));

    public long? SizeOf(string sha256)
    {
        var info = new FileInfo(PathOf(sha256));
        return info.Exists ? info.Length : null;
    }

    public bool Delete(string sha256)
    {
        var path = PathOf(sha256);
        if (!File.Exists(path)) return false;
        // File.Delete ignores a file that is already gone: two prunes racing for one blob both succeed.
        File.Delete(path);
        return true;
    }

    private string PathOf(string sha256)
    {
        if (!BlobHash.IsValid(sha256)) throw new ArgumentException($"not a SHA-256 hex digest: {sha256}", nameof(sha256));
        return BlobStoreLayout.FileOf(_root, sha256);
    }
}
