namespace Dstack.Contracts.Runs;

/// <summary>
/// The identity of the code a run's jobs see, computed by the CLI from its checkout: what the jobs' cache keys hash
/// (the content itself travels as the run's blobs). Hashes of content, never of timestamps, so touching a file
/// without changing it changes nothing.
/// </summary>
public sealed record RepoCode
{
    /// <summary>The commit's tree id (`git rev-parse COMMIT^{tree}`): a commit that changes no file keeps it.</summary>
    public required string Tree { get; init; }

    /// <summary>SHA-256 over every uncommitted change (each changed tracked file and untracked file: path, mode, content or deletion); null when there are none.</summary>
    public string? Changes { get; init; }

    /// <summary>
    /// For each path that a workflow of the run lists in `depends-on: {repo: {include: [...]}}`, in the form
    /// <c>RepoIncludePath.Normalize</c> gives it: the identity of that path alone.
    /// </summary>
    public IReadOnlyDictionary<string, PathCode> Paths { get; init; } = new Dictionary<string, PathCode>();
}
