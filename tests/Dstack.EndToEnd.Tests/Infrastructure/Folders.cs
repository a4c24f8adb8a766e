namespace Dstack.EndToEnd.Tests.Infrastructure;

/// <summary>File-system chores of the tests.</summary>
public static class Folders
{
    /// <summary>Copies a folder recursively, keeping Unix modes (an installed binary must stay executable).</summary>
    public static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            var target = Path.Combine(to, Path.GetFileName(file));
            File.Copy(file, target);
            File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
        foreach (var dir in Directory.EnumerateDirectories(from)) Copy(dir, Path.Combine(to, Path.GetFileName(dir)));
    }
}
