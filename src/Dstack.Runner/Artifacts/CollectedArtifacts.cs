namespace Dstack.Runner.Artifacts;

/// <summary>What the declared artifacts of a job amount to in its workspace.</summary>
public sealed record CollectedArtifacts
{
    public required IReadOnlyList<LocalArtifactFile> Files { get; init; }
    /// <summary>Declared artifacts that do not exist.</summary>
    public required IReadOnlyList<string> Missing { get; init; }
    /// <summary>Declared artifacts refused (absolute, `..`, a link out of the workspace), with why.</summary>
    public required IReadOnlyList<string> Refused { get; init; }
    /// <summary>Paths skipped inside artifacts (links out of the workspace, special files), for the job's log.</summary>
    public required IReadOnlyList<string> Skipped { get; init; }
}
