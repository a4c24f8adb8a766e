namespace Dstack.Runner.Hosting;

/// <summary>Settings of a runner process (`dstack runner`, or the built-in one an embedded server starts).</summary>
public sealed record RunnerOptions
{
    /// <summary>The server's base URL; for the built-in runner it comes from ServerFile and is re-read when the server moves.</summary>
    public Uri? Server { get; init; }
    /// <summary>Path of the embedded server's server.json (built-in runner), read to find the server after a restart.</summary>
    public string? ServerFile { get; init; }
    /// <summary>Runner token (from the DSTACK_RUNNER_TOKEN environment variable, never the command line).</summary>
    public required string Token { get; init; }
    /// <summary>The runner's own folder: git mirrors, a workspace per slot, log spools, its registration.</summary>
    public required string Home { get; init; }
    /// <summary>
    /// The folder of the server's blob store when it is on this machine (DSTACK_RUNNER_BLOB_STORE, set by the embedded
    /// server for its built-in runner): blobs are read from it directly and finished artifacts are moved into its inbox
    /// (<see cref="Blobs.LocalBlobStore"/>). Null: every blob goes through the server's API.
    /// </summary>
    public string? BlobStore { get; init; }
    /// <summary>Jobs run at once; default one per core.</summary>
    public int Slots { get; init; } = Environment.ProcessorCount;
    /// <summary>How long one lease request waits on the server for a job (a long-poll).</summary>
    public TimeSpan LeaseWait { get; init; } = TimeSpan.FromSeconds(25);
    /// <summary>Cap of the backoff between retries while the server is unreachable.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Where the runner's own diagnostics go; stderr when null.</summary>
    public TextWriter? LogWriter { get; init; }
}
