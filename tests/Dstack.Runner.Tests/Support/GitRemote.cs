namespace Dstack.Runner.Tests.Support;

/// <summary>A bare remote in a temp folder and a clone to commit into and push from, like a user's repository.</summary>
public sealed class GitRemote
{
    public GitRemote(TempFolder temp)
    {
        BarePath = temp.Combine("remote.git");
        ClonePath = temp.Combine("clone");
        Git.Run(temp.Path, "init", "--quiet", "--bare", BarePath);
        Git.Run(temp.Path, "clone", "--quiet", BarePath, ClonePath);
    }

    public string BarePath { get; }
    public string ClonePath { get; }
    public string Url => BarePath;

    /// <summary>Writes the files (path -> content; null deletes), commits, pushes; returns the commit hash.</summary>
    public string Commit(IReadOnlyDictionary<string, string?> files, string message = "change")
    {
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(ClonePath, path);
            if (content is null)
            {
                File.Delete(full);
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
        Git.Run(ClonePath, "add", "-A");
        Git.Run(ClonePath, "commit", "--quiet", "-m", message);
        Git.Run(ClonePath, "push", "--quiet", "origin", "HEAD:refs/heads/main");
        return Git.Run(ClonePath, "rev-parse", "HEAD");
    }
}
