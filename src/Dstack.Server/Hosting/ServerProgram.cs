namespace Dstack.Server.Hosting;

/// <summary>Entry point of a server process; `dstack server` calls it. Returns the process exit code.</summary>
public static class ServerProgram
{
    public static Task<int> RunAsync(ServerOptions options, CancellationToken ct) => throw new NotImplementedException();
}
