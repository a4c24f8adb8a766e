using Dstack.Contracts.Client;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runner;
using Dstack.Runner.Connection;
using Dstack.Runner.Hosting;

namespace Dstack.Runner.Jobs;

/// <summary>
/// A runner restarted after a crash (or a kill) reports the jobs its predecessor was running as FAILED
/// "runner lost": their processes were killed at start-up, and the fencing token kept in the slot's record
/// proves the job is still this runner's. A job the server already ended or gave away refuses the report: fine.
/// </summary>
public static class LostJobReport
{
    public const string Reason = "runner lost (the runner restarted while the job ran)";

    public static async Task ReportAsync(ServerConnection connection, IEnumerable<SlotJobRecord> leftovers, RunnerLog log, CancellationToken ct)
    {
        foreach (var record in leftovers.Where(r => r.FencingToken > 0))
        {
            var outcome = new JobOutcome { FencingToken = record.FencingToken, Status = JobStatus.Failed, Reason = Reason };
            try
            {
                await connection.CallAsync((client, token) => client.ReportOutcomeAsync(record.JobId, outcome, token), ct);
                log.Warn($"job {record.JobId} FAILED: {Reason}");
            }
            catch (DstackApiException e)
            {
                log.Info($"job {record.JobId} of the earlier runner was not reported lost: {e.Message}");
            }
        }
    }
}
