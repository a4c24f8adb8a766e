namespace Dstack.Server.Tests.Support;

/// <summary>A fresh DSTACK_HOME under the temp folder, deleted with the test.</summary>
public sealed class TempHome : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dstack-server-tests", Guid.NewGuid().ToString("N"));

    public TempHome() => Directory.CreateDirectory(Path);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process started by the test may still hold a file; the temp folder is cleaned eventually.
        }
    }
}
