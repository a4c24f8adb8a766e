using Dstack.Contracts.Blobs;

namespace Dstack.Server.Hosting;

/// <summary>Where the server keeps its state under DSTACK_HOME (see the layout in the design brief).</summary>
public sealed record ServerFiles(string Home)
{
    public string Database => Path.Combine(Home, "state.db");
    public string UserToken => Path.Combine(Home, "token");
    public string RunnerToken => Path.Combine(Home, "runner-token");
    public string SecretKey => Path.Combine(Home, "secret.key");
    public string Blobs => BlobStoreLayout.StoreOf(Home);
    public string ServerState => Path.Combine(Home, "server.json");
    public string RunnerHome => Path.Combine(Home, "runner");
    public string RunnerState => Path.Combine(Home, "runner", "runner.json");
    public string RunnerLog => Path.Combine(Home, "runner.log");
}
