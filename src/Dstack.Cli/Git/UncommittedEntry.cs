namespace Dstack.Cli.Git;

/// <summary>
/// One uncommitted change as code identity hashes it: the path, what is there now (Kind) and its content (the SHA-256
/// of a file's bytes, a link's target, nothing for a deletion). Never a timestamp.
/// </summary>
public sealed record UncommittedEntry(string Path, string Kind, string Content)
{
    public const string Regular = "regular";
    public const string Executable = "executable";
    public const string Symlink = "symlink";
    public const string Deleted = "deleted";
    /// <summary>A folder where HEAD has a file or a submodule: the files inside it are listed as untracked entries of their own.</summary>
    public const string Directory = "directory";

    /// <summary>True when the entry is the path or lies under it.</summary>
    public bool IsUnder(string path) =>
        Path == path || (Path.Length > path.Length && Path.StartsWith(path, StringComparison.Ordinal) && Path[path.Length] == '/');
}
