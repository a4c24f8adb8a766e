namespace Dstack.Cli.Git;

/// <summary>A tar of the untracked, non-ignored files in a temp file; deleted on dispose.</summary>
public sealed class UntrackedArchive(string path, int fileCount, long contentBytes) : IDisposable
{
    public string Path { get; } = path;
    public int FileCount { get; } = fileCount;
    /// <summary>Sum of the files' sizes (the tar itself is a little larger).</summary>
    public long ContentBytes { get; } = contentBytes;

    public Stream OpenRead() => new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

    public void Dispose()
    {
        try { File.Delete(Path); }
        catch (IOException) { /* a temp file left behind is harmless */ }
    }
}
