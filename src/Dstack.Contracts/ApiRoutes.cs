namespace Dstack.Contracts;

/// <summary>
/// Every route of the HTTP API, in one place for the server, the client and the tests.
/// All need `Authorization: Bearer TOKEN`: a user token for the user routes, a runner token for /api/runners and /api/runner-jobs.
/// Errors answer with <see cref="Server.ApiError"/> and a 4xx/5xx status; 409 means a stale fencing token or a refused transition.
/// </summary>
public static class ApiRoutes
{
    public const string Version = "/api/version";                 // GET -> ServerInfo (no auth needed: it carries no data)
    public const string Shutdown = "/api/server/shutdown";        // POST (user) -> 202

    public const string Repos = "/api/repos";                     // POST InitRepoRequest -> RepoInfo; GET ?url= -> RepoInfo | 404

    public const string Blobs = "/api/blobs";                     // POST raw body -> BlobRef (hash verified while stored)
    public static string Blob(string sha256) => $"/api/blobs/{sha256}"; // GET raw, HEAD exists?

    public const string Runs = "/api/runs";                       // POST SubmitRunRequest -> RunInfo; GET ?repo=URL[&last=N] -> RunInfo[]
    public const string RunPlan = "/api/runs/plan";               // POST SubmitRunRequest -> RunPlanPreview (a dry run: nothing stored, no blob needed)
    public static string Run(string runName) => $"/api/runs/{Uri.EscapeDataString(runName)}";          // GET [?jobs=not-done] -> RunInfo | 404
    public const string JobsNotDone = "not-done";                 // GET /api/runs/NAME?jobs=not-done: the run's status, and only its jobs that are not DONE
    public static string RunLogs(string runName) => $"/api/runs/{Uri.EscapeDataString(runName)}/logs"; // GET ?since=ISO&follow=true -> NDJSON LogRecord
    public static string RunTag(string runName) => $"/api/runs/{Uri.EscapeDataString(runName)}/tag";   // POST TagRequest -> RunInfo | 404 unknown run | 409 tag on another run
    public static string Tag(string tag, string repoUrl) => $"/api/tags/{Uri.EscapeDataString(tag)}?repo={Uri.EscapeDataString(repoUrl)}"; // DELETE -> RunInfo (untagged) | 404
    public const string Prune = "/api/prune";                     // POST PruneRequest -> PruneResult
    public static string Job(string jobId) => $"/api/jobs/{Uri.EscapeDataString(jobId)}";              // GET -> JobInfo | 404
    public static string JobLogs(string jobId) => $"/api/jobs/{Uri.EscapeDataString(jobId)}/logs";     // GET ?since=ISO&follow=true -> NDJSON LogRecord
    public static string JobArtifacts(string jobId) => $"/api/jobs/{Uri.EscapeDataString(jobId)}/artifacts"; // GET -> JobArtifacts
    public static string RunStop(string runName) => $"/api/runs/{Uri.EscapeDataString(runName)}/stop";    // POST StopRequest -> StopResult (its unfinished jobs)
    public static string JobStop(string jobId) => $"/api/jobs/{Uri.EscapeDataString(jobId)}/stop";        // POST StopRequest -> StopResult
    public static string JobResume(string jobId) => $"/api/jobs/{Uri.EscapeDataString(jobId)}/resume";    // POST -> JobInfo | 409 with the reason it is refused

    public const string RunnerRegister = "/api/runners/register";   // POST RegisterRunnerRequest -> RunnerRegistration
    public const string RunnerHeartbeat = "/api/runners/heartbeat"; // POST HeartbeatRequest -> HeartbeatResponse
    public const string RunnerLease = "/api/runners/lease";         // POST LeaseRequest -> 200 JobLease | 204 (nothing within WaitMs)
    public const string RunnerBlobAdopt = "/api/runners/blobs/adopt"; // POST BlobAdoptRequest -> BlobRef | 404 when the file is not in the store's inbox (nor its content in the store)
    public const string RunnerOrders = "/api/runners/orders";       // POST RunnerOrdersRequest -> RunnerOrders, long-poll: answers at once when an order is pending, else after WaitMs (empty)
    public static string RunnerJobProgress(string jobId) => $"/api/runner-jobs/{jobId}/progress";   // POST JobProgressReport
    public static string RunnerJobLogs(string jobId) => $"/api/runner-jobs/{jobId}/logs";           // POST LogAppendRequest -> LogAppendResponse
    public static string RunnerJobArtifacts(string jobId) => $"/api/runner-jobs/{jobId}/artifacts"; // POST ArtifactManifest
    public static string RunnerJobOutcome(string jobId) => $"/api/runner-jobs/{jobId}/outcome";     // POST JobOutcome -> 204 | 200 JobLease (the slot's next job, when NextLeaseFor asks)
}
