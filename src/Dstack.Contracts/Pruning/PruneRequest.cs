namespace Dstack.Contracts.Pruning;

/// <summary>`dstack prune`: remove the repository's finished runs that nothing needs any more.</summary>
public sealed record PruneRequest
{
    public required string RepoUrl { get; init; }
    /// <summary>List what would be removed; remove nothing.</summary>
    public bool DryRun { get; init; }
}
