using System.Security.Cryptography;
using System.Text;
using Dstack.Contracts.Runs;
using Dstack.Core.Workflows;

namespace Dstack.Server.Runs;

/// <summary>
/// The workflow files of the last few runs, parsed. `dstack run` sends the same files run after run, and parsing them
/// again was a fifth of the server's time for a cached re-run of 500 workflows. Keyed by a SHA-256 of every file's
/// path and content; a <see cref="WorkflowSet"/> is never changed once parsed, so one serves every request with those
/// files. Files that fail to parse are not kept: their errors are found again each time.
/// </summary>
public sealed class ParsedWorkflowFiles
{
    private const int Capacity = 8;

    private readonly Lock _lock = new();
    private readonly LinkedList<(string Key, WorkflowSet Set)> _recent = new();

    public WorkflowSet Parse(IReadOnlyList<WorkflowFileContent> files)
    {
        var key = Key(files);
        lock (_lock)
        {
            for (var node = _recent.First; node is not null; node = node.Next)
            {
                if (node.Value.Key != key) continue;
                _recent.Remove(node);
                _recent.AddFirst(node);
                return node.Value.Set;
            }
        }
        var set = WorkflowSetParser.Parse(files);
        lock (_lock)
        {
            _recent.AddFirst((key, set));
            while (_recent.Count > Capacity) _recent.RemoveLast();
        }
        return set;
    }

    /// <summary>Each file as its path's and content's lengths and bytes, in order: no two different lists of files write the same bytes.</summary>
    private static string Key(IReadOnlyList<WorkflowFileContent> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[8];
        foreach (var file in files)
        {
            foreach (var text in (string[])[file.Path, file.Content])
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                BitConverter.TryWriteBytes(length, (long)bytes.Length);
                hash.AppendData(length);
                hash.AppendData(bytes);
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
