namespace Dstack.Runner.Files;

/// <summary>Whatever a job may have left at a path: a folder, a file or a link.</summary>
public static class PathEntry
{
    /// <summary>Removes it: a folder with everything in it, a file, a link (never followed: its target stays). Nothing there: nothing done.</summary>
    public static void Delete(string path)
    {
        if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null) Directory.Delete(path, recursive: true);
        else if (File.Exists(path) || new FileInfo(path).LinkTarget is not null) File.Delete(path);
    }
}
