using System.Diagnostics;

namespace Dstack.Cli.Tests.Support;

/// <summary>A real git repository (branch main) whose `origin` is a bare repository beside it, both in a temp folder.</summary>
public sealed class GitRepoFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    public GitRepoFixture(bool withRemote = true)
    {
        Bare = Path.Combine(_folder.Path, "remote.git");
        Root = Path.Combine(_folder.Path, "repo");
        Directory.CreateDirectory(Root);
        Git(_folder.Path, "init", "-q", "-b", "main", "--bare", Bare);
        Git(Root, "init", "-q", "-b", "main");
        Git(Root, "config", "user.email", "test@example.com");
        Git(Root, "config", "user.name", "Test");
        if (withRemote) Git(Root, "remote", "add", "origin", "../remote.git");
    }

    public string Root { get; }
    public string Bare { get; }
    public string Folder => _folder.Path;

    public void Write(string relativePath, string content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    public void WriteBytes(string relativePath, byte[] content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
    }

    public string CommitAll(string message = "change")
    {
        Git(Root, "add", "-A");
        Git(Root, "commit", "-q", "-m", message);
        return Git(Root, "rev-parse", "HEAD");
    }

    public void Push() => Git(Root, "push", "-q", "-u", "origin", "HEAD");

    public static string Git(string directory, params string[] args)
    {
        var info = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)}: {error}");
        return output.Trim();
    }

    public void Dispose() => _folder.Dispose();
}
