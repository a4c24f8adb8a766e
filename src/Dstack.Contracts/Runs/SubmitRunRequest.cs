namespace Dstack.Contracts.Runs;

/// <summary>
/// What `dstack run` sends. The uncommitted changes travel as blobs uploaded beforehand
/// (POST /api/blobs), so a large diff never sits in a JSON document.
/// </summary>
public sealed record SubmitRunRequest
{
    public required string RepoUrl { get; init; }
    public string? Branch { get; init; }
    public required string Commit { get; init; }
    /// <summary>SHA-256 of the blob holding `git diff --binary HEAD`; null when there are no tracked changes.</summary>
    public string? DiffBlob { get; init; }
    /// <summary>SHA-256 of the blob holding a tar of the untracked, non-ignored files; null when there are none.</summary>
    public string? UntrackedBlob { get; init; }
    public required IReadOnlyList<WorkflowFileContent> WorkflowFiles { get; init; }
    public required string Workflow { get; init; }
    /// <summary>Variables overridden on the command line, name to value.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();
    /// <summary>What the jobs' cache keys hash of the code.</summary>
    public required RepoCode Code { get; init; }
    /// <summary>`--no-cache`: every job of the run runs afresh, even when an earlier job has its key.</summary>
    public bool NoCache { get; init; }
}
