using System.Security.Cryptography;
using Dstack.Contracts.Blobs;
using Dstack.Runner.Blobs;

namespace Dstack.Runner.Tests.Support;

/// <summary>
/// A content-addressed blob folder standing in for the server's store in tests of the workspace and the
/// uploader (the full loop against the real server is in the integration tests). It can also hold a
/// corrupt blob, to prove the runner checks what it receives.
/// </summary>
public sealed class FolderBlobStore(string folder) : IBlobTransfer
{
    public int Uploads { get; private set; }

    public int Adoptions { get; private set; }

    /// <summary>The inbox a <see cref="BlobInbox"/> moves files into; adoption renames from there, as the server's store does.</summary>
    public string Inbox { get; } = Directory.CreateDirectory(Path.Combine(folder, "inbox")).FullName;

    public string Put(byte[] content)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, sha), content);
        return sha;
    }

    /// <summary>Stores content under a name that is not its hash.</summary>
    public void PutCorrupt(string sha256, byte[] content)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, sha256), content);
    }

    public byte[] Get(string sha256) => File.ReadAllBytes(Path.Combine(folder, sha256));

    public async Task<T> ReadAsync<T>(string sha256, Func<Stream, CancellationToken, Task<T>> consume, CancellationToken ct)
    {
        await using var stream = File.OpenRead(Path.Combine(folder, sha256));
        return await consume(stream, ct);
    }

    public Task<bool> ExistsAsync(string sha256, CancellationToken ct) => Task.FromResult(File.Exists(Path.Combine(folder, sha256)));

    public Task<BlobRef?> AdoptAsync(BlobAdoptRequest request, CancellationToken ct)
    {
        var moved = Path.Combine(Inbox, request.Name);
        if (!File.Exists(moved)) return Task.FromResult<BlobRef?>(null);
        Adoptions++;
        File.Move(moved, Path.Combine(folder, request.Sha256), overwrite: true);
        return Task.FromResult<BlobRef?>(new BlobRef(request.Sha256, request.Size));
    }

    public async Task<BlobRef> UploadFileAsync(string path, CancellationToken ct)
    {
        Uploads++;
        var content = await File.ReadAllBytesAsync(path, ct);
        return new BlobRef(Put(content), content.Length);
    }
}
