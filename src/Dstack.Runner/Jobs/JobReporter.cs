using Dstack.Contracts.Client;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Logs;
using Dstack.Contracts.Runner;
using Dstack.Runner.Connection;

namespace Dstack.Runner.Jobs;

/// <summary>
/// Everything the runner tells the server about one job, with its fencing token. Each report is
/// idempotent and retried until the server answers (a server restart loses nothing; an outcome sent again brings no
/// next job back); an answer of
/// 409 (stale token) or any other 4xx means the job is no longer ours: it is killed and reporting stops.
/// </summary>
public sealed class JobReporter(ServerConnection connection, RunningJob job)
{
    private string JobId => job.Lease.JobId;
    private long Token => job.Lease.FencingToken;

    public Task ReportProgressAsync(JobStatus status, CancellationToken ct) =>
        SendAsync((client, token) => client.ReportProgressAsync(JobId, new JobProgressReport { FencingToken = Token, Status = status }, token), ct);

    public async Task<long> AppendLogsAsync(IReadOnlyList<LogChunk> chunks, CancellationToken ct)
    {
        var request = new LogAppendRequest { FencingToken = Token, Attempt = job.Lease.Attempt, Chunks = chunks };
        var response = await SendAsync((client, token) => client.AppendLogsAsync(JobId, request, token), ct);
        return response.AckedOffset;
    }

    /// <summary>
    /// A checkpoint manifest. Its refusal is not a lost lease: the server refuses checkpoints once the job is past
    /// running (an abort order crossed it, say), and a lease that is really lost shows in the other reports. The
    /// refusal is thrown as the server's <see cref="DstackApiException"/>.
    /// </summary>
    public Task PutCheckpointAsync(ArtifactManifest manifest, CancellationToken ct) =>
        connection.CallAsync((client, token) => client.PutArtifactManifestAsync(JobId, manifest, token), ct);

    /// <summary>The outcome; the slot's next job when the outcome asked for one and one was ready.</summary>
    public Task<JobLease?> ReportOutcomeAsync(JobOutcome outcome, CancellationToken ct) =>
        SendAsync((client, token) => client.ReportOutcomeAsync(JobId, outcome, token), ct);

    private Task SendAsync(Func<DstackClient, CancellationToken, Task> call, CancellationToken ct) =>
        SendAsync<bool>(async (client, token) =>
        {
            await call(client, token);
            return true;
        }, ct);

    private async Task<T> SendAsync<T>(Func<DstackClient, CancellationToken, Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await connection.CallAsync(call, ct);
        }
        catch (DstackApiException e) when ((int)e.StatusCode is >= 400 and < 500)
        {
            var lost = new JobLeaseLostException(JobId, $"{(int)e.StatusCode} {e.Message}");
            job.Lose(lost.Message);
            throw lost;
        }
    }
}
