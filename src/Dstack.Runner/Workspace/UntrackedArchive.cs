using System.Formats.Tar;
using Dstack.Runner.Files;

namespace Dstack.Runner.Workspace;

/// <summary>
/// Extracts the tar of a job's untracked files into its workspace. Entries must stay inside it: an
/// absolute path or a `..` fails the job; links are skipped with a warning (a link could point anywhere
/// on the runner's machine, and writing through one could too).
/// </summary>
public static class UntrackedArchive
{
    private const UnixFileMode PermissionBits = (UnixFileMode)0x1FF;

    public static async Task ExtractAsync(Stream tar, string root, Action<string> warn, CancellationToken ct)
    {
        await using var reader = new TarReader(tar, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, ct) is { } entry)
        {
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(Path.Combine(root, Checked(entry.Name, root)));
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    await WriteFileAsync(entry, root, ct);
                    break;
                case TarEntryType.SymbolicLink or TarEntryType.HardLink:
                    warn($"dstack: skipped '{entry.Name}' from the untracked files: links are not restored");
                    break;
                case TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes:
                    break; // metadata the reader already applied to the next entry
                default:
                    warn($"dstack: skipped '{entry.Name}' from the untracked files: a {entry.EntryType} entry is not a file");
                    break;
            }
        }
    }

    private static async Task WriteFileAsync(TarEntry entry, string root, CancellationToken ct)
    {
        var relative = Checked(entry.Name, root);
        var destination = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        if (File.Exists(destination) || new FileInfo(destination).LinkTarget is not null) File.Delete(destination); // replace a link, never write through it
        var mode = entry.Mode & PermissionBits;
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode | UnixFileMode.UserWrite };
        await using (var file = new FileStream(destination, options))
        {
            if (entry.DataStream is not null) await entry.DataStream.CopyToAsync(file, ct);
        }
        File.SetUnixFileMode(destination, mode); // exact bits, whatever the umask
    }

    private static string Checked(string name, string root)
    {
        var relative = RelativePath.Normalize(name, out var error)
            ?? throw new WorkspacePreparationException($"the untracked files archive has an entry '{name}' that {error}; it was refused");
        if (relative == ".") return relative;
        if (relative == ".git" || relative.StartsWith(".git/", StringComparison.Ordinal))
            throw new WorkspacePreparationException($"the untracked files archive has an entry '{name}' inside .git; it was refused");
        if (RelativePath.HasLinkOnTheWay(root, relative))
            throw new WorkspacePreparationException($"the untracked files archive has an entry '{name}' under a symbolic link; it was refused");
        return relative;
    }
}
