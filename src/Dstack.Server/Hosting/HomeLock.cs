namespace Dstack.Server.Hosting;

/// <summary>
/// An exclusive lock on `Home/server.instance.lock`, held for the server's whole life: two servers on one state
/// folder (a slow start the CLI gave up on, a user's `dstack server` beside the embedded one) would share the
/// database and the built-in runner's workspaces. The kernel releases it when the process dies, so a crash
/// leaves nothing stale behind.
/// </summary>
public sealed class HomeLock : IDisposable
{
    private readonly FileStream _stream;

    private HomeLock(FileStream stream) => _stream = stream;

    public static HomeLock Acquire(ServerFiles files)
    {
        var path = Path.Combine(files.Home, "server.instance.lock");
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix.
            return new HomeLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new IOException($"another dstack server is already using {files.Home}: stop it first (`dstack server stop`), or give this one another --home", e);
        }
    }

    public void Dispose() => _stream.Dispose();
}
