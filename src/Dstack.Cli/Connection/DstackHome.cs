using Dstack.Contracts.Blobs;

namespace Dstack.Cli.Connection;

/// <summary>The files of DSTACK_HOME that the CLI reads or writes (the server owns the rest).</summary>
public sealed record DstackHome(string Path)
{
    public string ServerJson => System.IO.Path.Combine(Path, "server.json");
    public string ServerLock => System.IO.Path.Combine(Path, "server.lock");
    public string ServerLog => System.IO.Path.Combine(Path, "server.log");
    public string Token => System.IO.Path.Combine(Path, "token");
    public string RunnerHome => System.IO.Path.Combine(Path, "runner");
    public string Blobs => BlobStoreLayout.StoreOf(Path);
}
