using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Dstack.Contracts.Artifacts;
using Dstack.Contracts.Blobs;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Logs;
using Dstack.Contracts.Pruning;
using Dstack.Contracts.Repos;
using Dstack.Contracts.Runner;
using Dstack.Contracts.Runs;
using Dstack.Contracts.Server;
using Dstack.Contracts.Tags;

namespace Dstack.Contracts.Client;

/// <summary>
/// The one typed client of the HTTP API, used by the CLI, the runner and the tests.
/// Every error answer becomes a <see cref="DstackApiException"/> carrying the server's message.
/// </summary>
public sealed class DstackClient : IDisposable
{
    private static readonly DstackJsonContext Json = DstackJsonContext.Default;
    private readonly HttpClient _http;
    private readonly bool _checkProtocol;

    /// <param name="checkProtocol">
    /// False only to talk to a server of another protocol version through the routes that never change
    /// (GET /api/version, POST /api/server/shutdown): how a CLI replaces an older embedded server.
    /// </param>
    public DstackClient(Uri baseAddress, string token, HttpMessageHandler? handler = null, bool checkProtocol = true)
    {
        _checkProtocol = checkProtocol;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.BaseAddress = baseAddress;
        _http.Timeout = Timeout.InfiniteTimeSpan; // long-polls and log streams; callers pass cancellation tokens
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _http.DefaultRequestHeaders.Add(ProtocolInfo.Header, ProtocolInfo.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public Uri BaseAddress => _http.BaseAddress!;

    public Task<ServerInfo> GetVersionAsync(CancellationToken ct = default) =>
        GetAsync(ApiRoutes.Version, Json.ServerInfo, ct);

    public async Task ShutdownAsync(CancellationToken ct = default)
    {
        using var response = await _http.PostAsync(ApiRoutes.Shutdown, null, ct);
        await EnsureSuccessAsync(response, ct);
    }

    // ---- repositories ----

    public Task<RepoInfo> InitRepoAsync(InitRepoRequest request, CancellationToken ct = default) =>
        PostAsync(ApiRoutes.Repos, request, Json.InitRepoRequest, Json.RepoInfo, ct);

    /// <summary>The registered repository, or null when `dstack init` was never run for it.</summary>
    public Task<RepoInfo?> FindRepoAsync(string repoUrl, CancellationToken ct = default) =>
        GetOrNullAsync($"{ApiRoutes.Repos}?url={Uri.EscapeDataString(repoUrl)}", Json.RepoInfo, ct);

    // ---- blobs ----

    /// <summary>Streams content to the blob store; the server hashes it while storing.</summary>
    public async Task<BlobRef> UploadBlobAsync(Stream content, CancellationToken ct = default)
    {
        using var body = new StreamContent(content, 1 << 20);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await _http.PostAsync(ApiRoutes.Blobs, body, ct);
        await EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync(Json.BlobRef, ct))!;
    }

    /// <summary>Runner only: the server takes a file from its blob inbox as a blob (see <see cref="BlobAdoptRequest"/>).</summary>
    public Task<BlobRef> AdoptBlobAsync(BlobAdoptRequest request, CancellationToken ct = default) =>
        PostAsync(ApiRoutes.RunnerBlobAdopt, request, Json.BlobAdoptRequest, Json.BlobRef, ct);

    public async Task<bool> BlobExistsAsync(string sha256, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, ApiRoutes.Blob(sha256));
        using var response = await _http.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        await EnsureSuccessAsync(response, ct);
        return true;
    }

    /// <summary>Opens a blob for reading. The caller disposes the stream.</summary>
    public async Task<Stream> OpenBlobAsync(string sha256, CancellationToken ct = default)
    {
        var response = await _http.GetAsync(ApiRoutes.Blob(sha256), HttpCompletionOption.ResponseHeadersRead, ct);
        try
        {
            await EnsureSuccessAsync(response, ct);
            return new ResponseStream(await response.Content.ReadAsStreamAsync(ct), response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    // ---- runs and jobs ----

    public Task<RunInfo> SubmitRunAsync(SubmitRunRequest request, CancellationToken ct = default) =>
        PostAsync(ApiRoutes.Runs, request, Json.SubmitRunRequest, Json.RunInfo, ct);

    /// <summary>Runs of a repository: with last = null the unfinished ones (or else the last finished one); otherwise the last N whatever their status.</summary>
    /// <summary>A dry run: the jobs the run would have, and for each whether an earlier job would be reused.</summary>
    public Task<RunPlanPreview> PreviewRunAsync(SubmitRunRequest request, CancellationToken ct = default) =>
        PostAsync(ApiRoutes.RunPlan, request, Json.SubmitRunRequest, Json.RunPlanPreview, ct);

    public Task<RunInfo> TagRunAsync(string runName, string tag, CancellationToken ct = default) =>
        PostAsync(ApiRoutes.RunTag(runName), new TagRequest { Tag = tag }, Json.TagRequest, Json.RunInfo, ct);

    /// <summary>Removes the tag from the repository's run that has it; returns that run.</summary>
    public async Task<RunInfo> UntagAsync(string tag, string repoUrl, CancellationToken ct = default)
    {
        using var response = await _http.DeleteAsync(ApiRoutes.Tag(tag, repoUrl), ct);
        await EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync(Json.RunInfo, ct))!;
    }

    public Task<PruneResult> PruneAsync(PruneRequest request, CancellationToken ct = default) =>
        PostAsync(ApiRoutes.Prune, request, Json.PruneRequest, Json.PruneResult, ct);

    public Task<List<RunInfo>> ListRunsAsync(string repoUrl, int? last = null, CancellationToken ct = default)
    {
        var url = $"{ApiRoutes.Runs}?repo={Uri.EscapeDataString(repoUrl)}";
        if (last is not null) url += $"&last={last.Value}";
        return GetAsync(url, Json.ListRunInfo, ct);
    }

    public Task<RunInfo?> FindRunAsync(string runName, CancellationToken ct = default) =>
        GetOrNullAsync(ApiRoutes.Run(runName), Json.RunInfo, ct);

    /// <summary>The run with its status, listing only its jobs that are not DONE: how a run ended, without every job's details.</summary>
    public Task<RunInfo?> FindRunJobsNotDoneAsync(string runName, CancellationToken ct = default) =>
        GetOrNullAsync($"{ApiRoutes.Run(runName)}?jobs={ApiRoutes.JobsNotDone}", Json.RunInfo, ct);

    public Task<JobInfo?> FindJobAsync(string jobId, CancellationToken ct = default) =>
        GetOrNullAsync(ApiRoutes.Job(jobId), Json.JobInfo, ct);

    public Task<JobArtifacts> GetJobArtifactsAsync(string jobId, CancellationToken ct = default) =>
        GetAsync(ApiRoutes.JobArtifacts(jobId), Json.JobArtifacts, ct);

    /// <summary>Stops (or aborts) every unfinished job of a run. 404 for an unknown run.</summary>
    public Task<StopResult> StopRunAsync(string runName, StopRequest request, CancellationToken ct = default) =>
        PostAsync(ApiRoutes.RunStop(runName), request, Json.StopRequest, Json.StopResult, ct);

    public Task<StopResult> StopJobAsync(string jobId, StopRequest request, CancellationToken ct = default) =>
        PostAsync(ApiRoutes.JobStop(jobId), request, Json.StopRequest, Json.StopResult, ct);

    /// <summary>Restarts a STOPPED job (a new attempt); a refusal is a DstackApiException (409) carrying the reason.</summary>
    public async Task<JobInfo> ResumeJobAsync(string jobId, CancellationToken ct = default)
    {
        using var response = await _http.PostAsync(ApiRoutes.JobResume(jobId), null, ct);
        await EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync(Json.JobInfo, ct))!;
    }

    /// <summary>
    /// Log records of a run (all its jobs, in time order) or of a job. With follow, the server keeps the
    /// response open and pushes records as they arrive, ending it when the run or job has finished.
    /// </summary>
    public IAsyncEnumerable<LogRecord> StreamRunLogsAsync(string runName, DateTimeOffset? since, bool follow, CancellationToken ct = default) =>
        StreamLogsAsync(ApiRoutes.RunLogs(runName), since, follow, ct);

    public IAsyncEnumerable<LogRecord> StreamJobLogsAsync(string jobId, DateTimeOffset? since, bool follow, CancellationToken ct = default) =>
        StreamLogsAsync(ApiRoutes.JobLogs(jobId), since, follow, ct);

    private async IAsyncEnumerable<LogRecord> StreamLogsAsync(string route, DateTimeOffset? since, bool follow, [EnumeratorCancellation] CancellationToken ct)
    {
        var query = new List<string>();
        if (since is not null) query.Add("since=" + Uri.EscapeDataString(since.Value.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
        if (follow) query.Add("follow=true");
        var url = query.Count == 0 ? route : route + "?" + string.Join('&', query);
        using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
        await EnsureSuccessAsync(response, ct);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0) continue;
            yield return JsonSerializer.Deserialize(line, Json.LogRecord)!;
        }
    }

    // ---- runner protocol ----

    public Task<RunnerRegistration> RegisterRunnerAsync(RegisterRunnerRequest request, CancellationToken ct = default) =>
        PostAsync(ApiRoutes.RunnerRegister, request, Json.RegisterRunnerRequest, Json.RunnerRegistration, ct);

    public Task<HeartbeatResponse> HeartbeatAsync(HeartbeatRequest request, CancellationToken ct = default) =>
        PostAsync(ApiRoutes.RunnerHeartbeat, request, Json.HeartbeatRequest, Json.HeartbeatResponse, ct);

    /// <summary>Long-polls for a job; null when none became ready within the request's wait.</summary>
    public async Task<JobLease?> LeaseAsync(LeaseRequest request, CancellationToken ct = default)
    {
        using var response = await _http.PostAsJsonAsync(ApiRoutes.RunnerLease, request, Json.LeaseRequest, ct);
        return await ReadLeaseAsync(response, ct);
    }

    /// <summary>Long-polls for stop orders about the runner's jobs; empty when none came within the request's wait.</summary>
    public Task<RunnerOrders> GetOrdersAsync(RunnerOrdersRequest request, CancellationToken ct = default) =>
        PostAsync(ApiRoutes.RunnerOrders, request, Json.RunnerOrdersRequest, Json.RunnerOrders, ct);

    public Task ReportProgressAsync(string jobId, JobProgressReport report, CancellationToken ct = default) =>
        PostNoResultAsync(ApiRoutes.RunnerJobProgress(jobId), report, Json.JobProgressReport, ct);

    public Task<LogAppendResponse> AppendLogsAsync(string jobId, LogAppendRequest request, CancellationToken ct = default) =>
        PostAsync(ApiRoutes.RunnerJobLogs(jobId), request, Json.LogAppendRequest, Json.LogAppendResponse, ct);

    public Task PutArtifactManifestAsync(string jobId, ArtifactManifest manifest, CancellationToken ct = default) =>
        PostNoResultAsync(ApiRoutes.RunnerJobArtifacts(jobId), manifest, Json.ArtifactManifest, ct);

    /// <summary>
    /// Records how a job ended. With <see cref="JobOutcome.NextLeaseFor"/> the answer may carry the slot's next job;
    /// null when none was ready, when none was asked for, or from a server that predates the field.
    /// </summary>
    public async Task<JobLease?> ReportOutcomeAsync(string jobId, JobOutcome outcome, CancellationToken ct = default)
    {
        using var response = await _http.PostAsJsonAsync(ApiRoutes.RunnerJobOutcome(jobId), outcome, Json.JobOutcome, ct);
        return await ReadLeaseAsync(response, ct);
    }

    private async Task<JobLease?> ReadLeaseAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.StatusCode == HttpStatusCode.NoContent) return null;
        await EnsureSuccessAsync(response, ct);
        return await response.Content.ReadFromJsonAsync(Json.JobLease, ct);
    }

    // ---- plumbing ----

    private async Task<T> GetAsync<T>(string url, JsonTypeInfo<T> type, CancellationToken ct)
    {
        using var response = await _http.GetAsync(url, ct);
        await EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync(type, ct))!;
    }

    private async Task<T?> GetOrNullAsync<T>(string url, JsonTypeInfo<T> type, CancellationToken ct) where T : class
    {
        using var response = await _http.GetAsync(url, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureSuccessAsync(response, ct);
        return await response.Content.ReadFromJsonAsync(type, ct);
    }

    private async Task<TResponse> PostAsync<TRequest, TResponse>(string url, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken ct)
    {
        using var response = await _http.PostAsJsonAsync(url, body, requestType, ct);
        await EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync(responseType, ct))!;
    }

    private async Task PostNoResultAsync<TRequest>(string url, TRequest body, JsonTypeInfo<TRequest> requestType, CancellationToken ct)
    {
        using var response = await _http.PostAsJsonAsync(url, body, requestType, ct);
        await EnsureSuccessAsync(response, ct);
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (_checkProtocol && response.Headers.TryGetValues(ProtocolInfo.Header, out var values)
            && int.TryParse(values.FirstOrDefault(), out var serverProtocol)
            && serverProtocol != ProtocolInfo.Version)
        {
            throw new ProtocolMismatchException(serverProtocol);
        }
        if (response.IsSuccessStatusCode) return;
        string message;
        try
        {
            var error = await response.Content.ReadFromJsonAsync(Json.ApiError, ct);
            message = error?.Error ?? response.ReasonPhrase ?? response.StatusCode.ToString();
        }
        catch (JsonException)
        {
            message = $"the server answered {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        throw new DstackApiException(response.StatusCode, message);
    }

    public void Dispose() => _http.Dispose();
}
