using Dstack.Contracts.Client;
using Dstack.Contracts.Runner;
using Dstack.Runner.Artifacts;
using Dstack.Runner.Connection;
using Dstack.Runner.Hosting;

namespace Dstack.Runner.Jobs;

/// <summary>
/// While a job's commands run, syncs its artifact paths every interval (a checkpoint), so a job whose
/// runner dies still has its last checkpoint on the server. A checkpoint that fails (a file vanished while
/// read, the server refused it) is logged and tried again at the next tick: it never fails the job.
/// </summary>
public sealed class CheckpointLoop(ArtifactSync sync, TimeSpan interval, long fencingToken,
    Func<ArtifactManifest, CancellationToken, Task> putManifest, string jobId, RunnerLog log)
{
    /// <summary>
    /// Ticks until <paramref name="stopTicking"/> (the commands ended); a sync in flight then finishes, so the
    /// final upload that follows starts from it. <paramref name="syncToken"/> cuts a sync short (abort, lost job).
    /// </summary>
    public async Task RunAsync(CancellationToken stopTicking, CancellationToken syncToken)
    {
        using var timer = new PeriodicTimer(interval);
        // Stopped by disposing the timer: a pending wait then ends with false, where a cancelled one throws (and nearly
        // every job ends with its loop waiting; an exception costs ~50 us of CPU).
        await using var stop = stopTicking.Register(timer.Dispose);
        while (await timer.WaitForNextTickAsync() && !syncToken.IsCancellationRequested)
        {
            try
            {
                var upload = await sync.CheckpointAsync(fencingToken, putManifest, syncToken);
                if (upload.Hashed > 0)
                    log.Info($"job {jobId}: checkpoint of {upload.Files.Count} file(s): {upload.Hashed} changed, {upload.Uploaded} uploaded");
            }
            catch (OperationCanceledException) when (syncToken.IsCancellationRequested)
            {
                return;
            }
            catch (JobLeaseLostException)
            {
                return; // the job is being killed
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                log.Warn($"job {jobId}: checkpoint skipped: {e.Message}");
            }
            catch (DstackApiException e)
            {
                log.Warn($"job {jobId}: checkpoint refused by the server: {(int)e.StatusCode} {e.Message}");
            }
        }
    }
}
