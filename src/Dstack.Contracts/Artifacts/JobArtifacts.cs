namespace Dstack.Contracts.Artifacts;

/// <summary>All artifact files of one job.</summary>
public sealed record JobArtifacts
{
    public required string JobId { get; init; }
    public required string Workflow { get; init; }
    /// <summary>True when the job did not finish DONE, so the files are what it had when it ended.</summary>
    public bool Partial { get; init; }
    /// <summary>Declared artifacts that did not exist when the job ended.</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];
    public required IReadOnlyList<ArtifactFile> Files { get; init; }
}
