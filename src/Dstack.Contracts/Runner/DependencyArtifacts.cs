using Dstack.Contracts.Artifacts;

namespace Dstack.Contracts.Runner;

/// <summary>The artifacts of a finished dependency, to put in place (relative to the job's working dir) before the commands start.</summary>
public sealed record DependencyArtifacts
{
    public required string JobId { get; init; }
    public required string Workflow { get; init; }
    public required IReadOnlyList<ArtifactFile> Files { get; init; }
}
