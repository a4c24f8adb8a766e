namespace Dstack.Contracts.Pruning;

/// <summary>What `dstack prune` removed (or, for a dry run, would remove).</summary>
public sealed record PruneResult
{
    public required bool DryRun { get; init; }
    /// <summary>The runs removed, oldest first.</summary>
    public required IReadOnlyList<string> Runs { get; init; }
    public required int Jobs { get; init; }
    /// <summary>Stored files (artifacts, uncommitted changes) no longer referenced by anything, and their total size.</summary>
    public required int Blobs { get; init; }
    public required long Bytes { get; init; }
}
