using System.Security.Cryptography;
using System.Text;

namespace Dstack.Cli.Git;

/// <summary>
/// The working tree's changes against HEAD, as content: each changed tracked file and each untracked, non-ignored file
/// (the files the run's diff and untracked tar carry). Hashes of these, whole or under one path, are the `Changes` of a
/// run's code identity, so reverting an edit gives back the old identity and touching a file changes nothing.
/// </summary>
public sealed class UncommittedChanges
{
    private UncommittedChanges(IReadOnlyList<UncommittedEntry> entries) => Entries = entries;

    /// <summary>Sorted by path (ordinal), one per path.</summary>
    public IReadOnlyList<UncommittedEntry> Entries { get; }

    public static async Task<UncommittedChanges> ReadAsync(string root, IEnumerable<string> changedTracked, IEnumerable<string> untracked, CancellationToken ct = default)
    {
        var paths = changedTracked.Concat(untracked).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var entries = new List<UncommittedEntry>(paths.Count);
        foreach (var path in paths)
        {
            entries.Add(await ReadEntryAsync(root, path, ct));
        }
        return new UncommittedChanges(entries);
    }

    /// <summary>SHA-256 hex over every entry; null when there are none.</summary>
    public string? Hash() => Hash(Entries);

    /// <summary>SHA-256 hex over the entries at or under the path (normalized, as RepoIncludePath gives it); null when there are none.</summary>
    public string? HashUnder(string path) => Hash(Entries.Where(e => e.IsUnder(path)).ToList());

    private static string? Hash(IReadOnlyList<UncommittedEntry> entries)
    {
        if (entries.Count == 0) return null;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var entry in entries)
        {
            // NUL cannot occur in a path, a kind or a hash, so no two lists of entries write the same bytes.
            sha.AppendData(Encoding.UTF8.GetBytes($"{entry.Path}\0{entry.Kind}\0{entry.Content}\0"));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static async Task<UncommittedEntry> ReadEntryAsync(string root, string path, CancellationToken ct)
    {
        var full = Path.Combine(root, path);
        var info = new FileInfo(full);
        if (info.LinkTarget is { } target) return new UncommittedEntry(path, UncommittedEntry.Symlink, target);
        if (System.IO.Directory.Exists(full)) return new UncommittedEntry(path, UncommittedEntry.Directory, "");
        if (!info.Exists) return new UncommittedEntry(path, UncommittedEntry.Deleted, "");
        try
        {
            await using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
            var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
            // Git keeps one mode bit of a file: whether its owner may execute it.
            var kind = (info.UnixFileMode & UnixFileMode.UserExecute) != 0 ? UncommittedEntry.Executable : UncommittedEntry.Regular;
            return new UncommittedEntry(path, kind, hash);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Deleted between git's answer and now: it is what a run submitted now would see.
            return new UncommittedEntry(path, UncommittedEntry.Deleted, "");
        }
    }
}
