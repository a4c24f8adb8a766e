namespace Dstack.Contracts.Runs;

/// <summary>The identity of one path of the repository: what the commit has there, and what is uncommitted under it.</summary>
public sealed record PathCode
{
    /// <summary>The git object id (blob or tree) of the path in the commit; null when the commit has nothing there.</summary>
    public string? Object { get; init; }

    /// <summary>SHA-256 over the uncommitted changes under the path, as <see cref="RepoCode.Changes"/>; null when there are none.</summary>
    public string? Changes { get; init; }
}
