using Dstack.Contracts.Repos;

namespace Dstack.Contracts.Runner;

/// <summary>Everything a runner needs to execute a job, with every variable already substituted.</summary>
public sealed record JobSpec
{
    public required string RepoUrl { get; init; }
    /// <summary>Decrypted credential for the runner's git; only ever sent to the runner holding the lease.</summary>
    public RepoCredential? Credential { get; init; }
    public string? Branch { get; init; }
    public required string Commit { get; init; }
    public string? DiffBlob { get; init; }
    public string? UntrackedBlob { get; init; }
    /// <summary>Run in order as one `bash -eo pipefail` script.</summary>
    public required IReadOnlyList<string> Commands { get; init; }
    /// <summary>Relative to the repository root; "." when not set.</summary>
    public required string WorkingDir { get; init; }
    /// <summary>The workflow's environment plus the exported variables (upper-cased) and RUN_NAME, JOB_ID.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }
    /// <summary>Output paths relative to WorkingDir.</summary>
    public required IReadOnlyList<string> Artifacts { get; init; }
    public string? Image { get; init; }
    public IReadOnlyList<DependencyArtifacts> Dependencies { get; init; } = [];
    /// <summary>A resumed job's own artifacts from its previous attempt, put back (relative to WorkingDir) before the commands start.</summary>
    public IReadOnlyList<Artifacts.ArtifactFile> Restore { get; init; } = [];
    /// <summary>How often the runner syncs the artifact paths while the job runs (uploading only what changed); 0 = never.</summary>
    public int CheckpointIntervalSeconds { get; init; } = 60;
}
