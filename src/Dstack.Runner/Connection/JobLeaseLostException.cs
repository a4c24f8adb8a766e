namespace Dstack.Runner.Connection;

/// <summary>
/// The server refused a report about a job (409: stale fencing token, or another 4xx): the job is no
/// longer this runner's, so it is killed and nothing more is reported about it.
/// </summary>
public sealed class JobLeaseLostException(string jobId, string serverMessage)
    : Exception($"job {jobId} is no longer leased to this runner: {serverMessage}")
{
    public string JobId { get; } = jobId;
}
