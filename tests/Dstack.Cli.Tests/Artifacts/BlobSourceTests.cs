using System.Net;
using System.Security.Cryptography;
using Dstack.Cli.Artifacts;
using Dstack.Cli.Tests.Support;
using Dstack.Contracts.Client;

namespace Dstack.Cli.Tests.Artifacts;

/// <summary>A download reads the embedded server's store files where they are, and asks the server for anything else.</summary>
public sealed class BlobSourceTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ServerAnswers _server = new("from the server"u8.ToArray());
    private readonly DstackClient _client;

    public BlobSourceTests() => _client = new DstackClient(new Uri("http://127.0.0.1:9/"), "token", _server, checkProtocol: false);

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
        _folder.Dispose();
    }

    // Two folders down, so that the name "../secret" (ROOT/../../secret: its first two characters are taken as the
    // blob's folder) would name the file planted in the temp folder.
    private string Store => Path.Combine(_folder.Path, "home", "blobs");

    private string Put(byte[] content)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        Directory.CreateDirectory(Path.Combine(Store, sha[..2]));
        File.WriteAllBytes(Path.Combine(Store, sha[..2], sha), content);
        return sha;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }

    [Fact]
    public async Task ABlobInTheStoreFolder_IsReadFromItsFile_WithoutARequest()
    {
        var sha = Put("kept by the store"u8.ToArray());

        var content = await ReadAllAsync(await new BlobSource(_client, Store).OpenAsync(sha, default));

        Assert.Equal("kept by the store"u8.ToArray(), content);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task ABlobNotInTheStoreFolder_IsAskedOfTheServer()
    {
        Put("another blob"u8.ToArray());
        var missing = new string('a', 64);

        var content = await ReadAllAsync(await new BlobSource(_client, Store).OpenAsync(missing, default));

        Assert.Equal("from the server"u8.ToArray(), content);
        Assert.Equal([$"/api/blobs/{missing}"], _server.Requests);
    }

    [Fact]
    public async Task WithoutAStoreFolder_EveryBlobIsAskedOfTheServer()
    {
        var sha = Put("kept by the store"u8.ToArray());

        var content = await ReadAllAsync(await new BlobSource(_client, localStore: null).OpenAsync(sha, default));

        Assert.Equal("from the server"u8.ToArray(), content);
        Assert.Equal([$"/api/blobs/{sha}"], _server.Requests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ANameThatIsNotAHash_NeverNamesAFile(bool rooted)
    {
        Put("a blob"u8.ToArray());
        var secret = Path.Combine(_folder.Path, "secret");
        File.WriteAllText(secret, "not a blob");
        // A rooted name would be taken as it is by Path.Combine.
        var name = rooted ? secret : "../secret";

        var content = await ReadAllAsync(await new BlobSource(_client, Store).OpenAsync(name, default));

        Assert.Equal("from the server"u8.ToArray(), content);
        Assert.Single(_server.Requests);
    }

    /// <summary>Answers every request with the same body and records the paths asked for.</summary>
    private sealed class ServerAnswers(byte[] body) : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!.AbsolutePath);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) });
        }
    }
}
