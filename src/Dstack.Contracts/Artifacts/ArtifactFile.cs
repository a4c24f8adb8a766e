namespace Dstack.Contracts.Artifacts;

/// <summary>One file of a job's artifact. Content lives in the blob store under its SHA-256.</summary>
public sealed record ArtifactFile
{
    /// <summary>The artifact as declared in the workflow (after substitution), e.g. "models/124M".</summary>
    public required string Artifact { get; init; }
    /// <summary>Path relative to the job's working directory, with '/' separators, e.g. "models/124M/encoder.json".</summary>
    public required string Path { get; init; }
    public required long Size { get; init; }
    public required string Sha256 { get; init; }
    /// <summary>Unix permission bits (e.g. 0755 for an executable).</summary>
    public int Mode { get; init; } = Convert.ToInt32("644", 8);
}
