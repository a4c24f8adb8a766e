namespace Dstack.EndToEnd.Tests.Infrastructure;

/// <summary>A real git repository with a bare remote (both in temp folders), as a user's checkout would be.</summary>
public sealed class TestRepository
{
    private readonly IReadOnlyDictionary<string, string> _environment;

    public TestRepository(string root, IReadOnlyDictionary<string, string> environment)
    {
        _environment = environment;
        RemotePath = System.IO.Path.Combine(root, "remote.git");
        Path = System.IO.Path.Combine(root, "repo");
        Directory.CreateDirectory(RemotePath);
        Git(RemotePath, "init", "--bare", "-q", "-b", "main");
        Git(root, "clone", "-q", RemotePath, Path);
        Git(Path, "checkout", "-q", "-b", "main");
    }

    /// <summary>The working tree (where the user runs dstack).</summary>
    public string Path { get; }

    public string RemotePath { get; }

    public TestRepository Write(string relativePath, string content)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    public TestRepository CommitAll(string message = "change")
    {
        Git(Path, "add", "-A");
        Git(Path, "commit", "-q", "--allow-empty", "-m", message);
        return this;
    }

    public TestRepository Push()
    {
        Git(Path, "push", "-q", "-u", "origin", "HEAD");
        return this;
    }

    public string Head => Git(Path, "rev-parse", "HEAD").Stdout.Trim();

    public CliResult Git(params string[] args) => Git(Path, args);

    private CliResult Git(string dir, params string[] args)
    {
        var result = ProcessRunner.Run("git", args, dir, _environment);
        if (result.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {result}");
        return result;
    }
}
