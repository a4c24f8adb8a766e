using Dstack.Contracts.Artifacts;

namespace Dstack.Contracts.Runner;

/// <summary>The artifact files of a job, sent after their blobs are uploaded. Replaces any earlier manifest of the job.</summary>
public sealed record ArtifactManifest
{
    public required long FencingToken { get; init; }
    public required IReadOnlyList<ArtifactFile> Files { get; init; }
    /// <summary>Declared artifacts that did not exist.</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];
    public bool Partial { get; init; }
    /// <summary>A checkpoint taken while the job runs: replaces the stored manifest but changes no status.</summary>
    public bool Checkpoint { get; init; }
}
