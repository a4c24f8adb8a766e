using System.Text;
using Dstack.Contracts.Artifacts;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Logs;
using Dstack.Contracts.Runner;
using Dstack.Runner.Artifacts;
using Dstack.Runner.Blobs;
using Dstack.Runner.Connection;
using Dstack.Runner.Execution;
using Dstack.Runner.Hosting;
using Dstack.Runner.Logs;
using Dstack.Runner.Workspace;

namespace Dstack.Runner.Jobs;

/// <summary>
/// Runs one leased job in one slot: workspace, commands (with checkpoints of the artifacts), logs,
/// artifacts, outcome. Delivery: every report is retried until the server answers (at-least-once,
/// idempotent on the server); the outcome goes last, with the artifact manifest, after all logs are
/// acknowledged, so a finished job has all of its output. A stop order ends the commands (SIGTERM,
/// grace, SIGKILL) and still uploads the artifacts (partial): STOPPED; one that comes after the commands
/// ended by themselves lets the job finish as it would have (DONE or FAILED). An abort kills at once and
/// uploads nothing more: ABORTED. All keep the logs up to the end. A job that stops being ours is killed
/// and nothing more is said about it.
/// </summary>
public sealed class JobExecutor(
    int slot, SlotWorkspace workspace, ServerConnection connection, IBlobTransfer blobs, BlobInbox? inbox,
    ActiveJobSet activeJobs, RunnerPaths paths, RunnerLog log)
{
    private static readonly TimeSpan ShutdownReportTime = TimeSpan.FromSeconds(3);
    /// <summary>An upload shorter than this is not worth a status of its own: the job goes from RUNNING to its outcome.</summary>
    private static readonly TimeSpan UploadingShownAfter = TimeSpan.FromMilliseconds(250);

    private string SlotFolder => paths.Slot(slot);

    /// <summary>
    /// Runs the job to its reported end. With <paramref name="nextLeaseFor"/> (the runner's id) the outcome asks for the
    /// slot's next job, returned here (null: none was ready, or the job ended another way).
    /// </summary>
    public async Task<JobLease?> ExecuteAsync(JobLease lease, string? nextLeaseFor, CancellationToken shutdown)
    {
        using var job = new RunningJob(lease, shutdown);
        var clock = new JobPhaseClock();
        activeJobs.Add(job);
        var reporter = new JobReporter(connection, job);
        var spool = LogSpool.Create(paths.SlotSpool(slot));
        var shipper = new LogShipper(spool, reporter.AppendLogsAsync);
        var shipping = shipper.RunAsync(job.Token);
        JobProcess? process = null;
        log.Info($"job {lease.JobId} ({lease.RunName}/{lease.Workflow}, attempt {lease.Attempt}) started in slot {slot}");
        JobLease? next = null;
        try
        {
            var outcome = await RunAsync(job, reporter, spool, started => process = started, clock);
            spool.Complete();
            await shipping;
            clock.Mark("logs");
            // A runner that is shutting down takes no more work. Sent under the runner's shutdown token, not the job's: once
            // the server has recorded this outcome, a heartbeat that still lists the job is answered "revoked" (the job is
            // over), and that must not cancel this call, whose answer may hand the slot its next job (lost, that job
            // would wait for a runner that never heard of it, then fail as orphaned). A lease really lost still shows:
            // the server refuses the outcome (409), which throws here.
            next = await reporter.ReportOutcomeAsync(outcome with { NextLeaseFor = shutdown.IsCancellationRequested ? null : nextLeaseFor }, shutdown);
            clock.Mark("outcome");
            spool.Release();
            log.Info($"job {lease.JobId} {outcome.Status.ToString().ToUpperInvariant()}{(outcome.Reason is null ? "" : ": " + outcome.Reason)} {clock.Summary()}");
        }
        catch (Exception) when (job.LostReason is not null)
        {
            if (process is not null) await process.KillAndDrainAsync();
            log.Warn($"job {lease.JobId} killed: {job.LostReason}");
            spool.Release();
        }
        catch (Exception) when (shutdown.IsCancellationRequested)
        {
            if (process is not null) await process.KillAndDrainAsync();
            await ReportShutdownAsync(lease, reporter, spool, shipper, shipping);
        }
        catch (Exception e)
        {
            // A fault of the runner itself (bash missing, disk full): the job fails with it rather than hang.
            if (process is not null) await process.KillAndDrainAsync();
            log.Warn($"job {lease.JobId}: runner error: {e}");
            try
            {
                if (!spool.IsComplete)
                {
                    WriteNote(spool, "dstack: runner error: " + e.Message);
                    spool.Complete();
                }
                await Quietly(shipping);
                await Quietly(shipper.RunAsync(job.Token)); // the logs if the shipper can; the outcome in any case
                await reporter.ReportOutcomeAsync(Failed(lease, $"runner error: {e.Message}"), job.Token);
                spool.Release();
            }
            catch (Exception inner)
            {
                log.Warn($"job {lease.JobId}: could not report the error ({inner.Message})");
            }
        }
        finally
        {
            process?.Kill();
            process?.Dispose();
            SlotJobFile.Clear(SlotFolder);
            activeJobs.Remove(job);
            spool.Dispose();
            await Quietly(shipping);
        }
        return next;
    }

    /// <summary>Best effort, within a few seconds: the job's last output, then FAILED "runner shut down".</summary>
    private async Task ReportShutdownAsync(JobLease lease, JobReporter reporter, LogSpool spool, LogShipper shipper, Task shipping)
    {
        using var deadline = new CancellationTokenSource(ShutdownReportTime);
        try
        {
            await Quietly(shipping);
            spool.Complete();
            await shipper.RunAsync(deadline.Token);
            await reporter.ReportOutcomeAsync(Failed(lease, "runner shut down"), deadline.Token);
            spool.Release();
            log.Info($"job {lease.JobId} FAILED: runner shut down");
        }
        catch (Exception e)
        {
            log.Warn($"job {lease.JobId}: could not report the shutdown to the server ({e.Message})");
        }
    }

    private async Task<JobOutcome> RunAsync(RunningJob job, JobReporter reporter, LogSpool spool, Action<JobProcess> started, JobPhaseClock clock)
    {
        var lease = job.Lease;
        var spec = lease.Spec;
        var ct = job.Token;
        var (workDir, notPrepared) = await PrepareAsync(job, spool);
        clock.Mark("workspace");
        if (notPrepared is not null) return notPrepared;
        if (job.Stop.IsRequested) return StoppedBeforeStart(job, spool);

        var script = JobScript.Write(paths.Spool, slot, spec.Commands);
        var process = JobProcess.Start(script, workDir!, new JobMarker(lease.JobId, lease.Attempt), spec.Environment, spool);
        started(process); // ExecuteAsync owns it from here: kills and disposes it on every path
        SlotJobFile.Save(SlotFolder, new SlotJobRecord
        {
            JobId = lease.JobId,
            Attempt = lease.Attempt,
            FencingToken = lease.FencingToken,
            ProcessGroupId = process.ProcessGroupId,
            StartTicks = process.StartTicks,
        });
        clock.Mark("start");
        using var sync = new ArtifactSync(workspace.Root, workDir!, spec.Artifacts, blobs, inbox);
        using var syncing = CancellationTokenSource.CreateLinkedTokenSource(ct, job.Stop.AbortToken);
        var (exit, termination) = await RunCommandsAsync(job, process, sync, reporter, clock, syncing.Token);
        clock.Mark("cleanup");
        SlotJobFile.Clear(SlotFolder);

        if (job.Stop.IsAborted) return Ended(lease, JobStatus.Aborted, exit, StopReason.For(true, termination, exit));
        using var uploaded = new CancellationTokenSource();
        var uploading = spec.Artifacts.Count == 0 ? Task.CompletedTask : ReportUploadingAfterAsync(job, reporter, uploaded.Token, ct);
        try
        {
            var outcome = await UploadArtifactsAsync(job, exit, termination, sync, spool, syncing.Token);
            clock.Mark("artifacts");
            return outcome;
        }
        catch (OperationCanceledException) when (job.Stop.IsAborted && !ct.IsCancellationRequested)
        {
            WriteNote(spool, "dstack: the artifact upload was cut short by an abort");
            return Ended(lease, JobStatus.Aborted, exit, StopReason.AbortedDuringUpload);
        }
        finally
        {
            // A report already on its way goes before the outcome, which must come last.
            await uploaded.CancelAsync();
            await uploading;
        }
    }

    /// <summary>UPLOADING, once the upload has taken <see cref="UploadingShownAfter"/>.</summary>
    private static async Task ReportUploadingAfterAsync(RunningJob job, JobReporter reporter, CancellationToken uploaded, CancellationToken ct)
    {
        // Cut short by the upload's end, the usual case: awaited without throwing (an exception a job cost ~50 us of CPU).
        await Task.Delay(UploadingShownAfter, uploaded).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (uploaded.IsCancellationRequested) return;
        // After a stop order the server holds the job in STOPPING: no progress report may move it.
        if (!job.Stop.IsRequested) await reporter.ReportProgressAsync(JobStatus.Uploading, ct);
    }

    /// <summary>The workspace, or the outcome of a job that ends before its commands (a stop order, a failed checkout).</summary>
    private async Task<(string? WorkDir, JobOutcome? Ended)> PrepareAsync(RunningJob job, LogSpool spool)
    {
        var lease = job.Lease;
        // A stop order during the checkout ends it there: the commands will not run, the rest is not worth waiting for.
        using var preparing = CancellationTokenSource.CreateLinkedTokenSource(job.Token, job.Stop.AnyOrderToken);
        try
        {
            return (await workspace.PrepareAsync(lease.Spec, blobs, paths.Temp, line => WriteNote(spool, line), preparing.Token), null);
        }
        catch (OperationCanceledException) when (job.Stop.IsRequested && !job.Token.IsCancellationRequested)
        {
            return (null, StoppedBeforeStart(job, spool));
        }
        catch (WorkspacePreparationException e)
        {
            if (e.Log is { Length: > 0 }) spool.Append(LogStream.Stderr, DateTimeOffset.UtcNow, e.Log);
            WriteNote(spool, "dstack: " + e.Reason);
            return (null, Failed(lease, e.Reason));
        }
        catch (Exception e) when (e is not OperationCanceledException && job.LostReason is null)
        {
            var reason = $"could not prepare the workspace: {e.Message}";
            // Not a failure the user caused (those are WorkspacePreparationException): the runner's log keeps where it came from.
            log.Warn($"job {lease.JobId}: {reason}: {e}");
            WriteNote(spool, "dstack: " + reason);
            return (null, Failed(lease, reason));
        }
    }

    /// <summary>
    /// Runs the commands to their end, or until a stop order ends them, with a checkpoint of the artifacts
    /// every interval meanwhile. A checkpoint in flight when the commands end is finished before this returns.
    /// </summary>
    private async Task<(ExitStatus Exit, Termination? Termination)> RunCommandsAsync(
        RunningJob job, JobProcess process, ArtifactSync sync, JobReporter reporter, JobPhaseClock clock, CancellationToken syncToken)
    {
        var lease = job.Lease;
        using var ticking = new CancellationTokenSource();
        var checkpoints = lease.Spec.CheckpointIntervalSeconds > 0 && lease.Spec.Artifacts.Count > 0
            ? new CheckpointLoop(sync, TimeSpan.FromSeconds(lease.Spec.CheckpointIntervalSeconds), lease.FencingToken,
                reporter.PutCheckpointAsync, lease.JobId, log).RunAsync(ticking.Token, syncToken)
            : Task.CompletedTask;
        Termination? termination = null;
        try
        {
            var exited = process.WaitForExitAsync(job.Token);
            var ordered = Task.WhenAny(job.Stop.Graceful, job.Stop.Abort);
            if (await Task.WhenAny(exited, ordered) == exited)
            {
                await exited;
            }
            else
            {
                var grace = job.Stop.IsAborted ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Max(0, (await job.Stop.Graceful).GraceMs));
                termination = await process.TerminateAsync(grace, job.Stop.Abort, job.Token);
            }
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }
        finally
        {
            await ticking.CancelAsync();
            await checkpoints;
        }
        clock.Mark("commands");
        return (await process.FinishAsync(), termination);
    }

    private static async Task<JobOutcome> UploadArtifactsAsync(
        RunningJob job, ExitStatus exit, Termination? termination, ArtifactSync sync, LogSpool spool, CancellationToken ct)
    {
        var lease = job.Lease;
        string? failure = exit.Succeeded ? null : exit.Describe();
        ArtifactManifest? manifest = null;
        if (lease.Spec.Artifacts.Count > 0)
        {
            var collected = sync.Collect();
            foreach (var skipped in collected.Skipped) WriteNote(spool, $"dstack: artifact file skipped: {skipped}");
            foreach (var refused in collected.Refused) WriteNote(spool, $"dstack: {refused}");
            failure ??= (collected.Refused.Count > 0 ? collected.Refused[0] : null) ?? MissingReason(collected.Missing);
            IReadOnlyList<ArtifactFile> files;
            try
            {
                files = (await sync.UploadAsync(collected.Files, ct)).Files;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                failure ??= $"could not upload the artifacts: {e.Message}";
                WriteNote(spool, "dstack: " + failure);
                files = [];
            }
            // Stored with the outcome, in the same request and transaction.
            manifest = new ArtifactManifest
            {
                FencingToken = lease.FencingToken,
                Files = files,
                Missing = collected.Missing,
                Partial = failure is not null || termination is not null,
            };
        }
        var outcome = job.Stop.IsAborted ? Ended(lease, JobStatus.Aborted, exit, StopReason.For(true, termination, exit))
            : termination is not null ? Ended(lease, JobStatus.Stopped, exit, StopReason.For(false, termination, exit))
            // The commands had ended by themselves when the stop order came: the job finished, as it finished.
            : Ended(lease, failure is null ? JobStatus.Done : JobStatus.Failed, exit, failure);
        return outcome with { Artifacts = manifest };
    }

    private static JobOutcome StoppedBeforeStart(RunningJob job, LogSpool spool)
    {
        var aborted = job.Stop.IsAborted;
        var reason = StopReason.BeforeStart(aborted);
        WriteNote(spool, "dstack: " + reason);
        return new JobOutcome { FencingToken = job.Lease.FencingToken, Status = aborted ? JobStatus.Aborted : JobStatus.Stopped, Reason = reason };
    }

    private static string? MissingReason(IReadOnlyList<string> missing) => missing.Count switch
    {
        0 => null,
        1 => $"artifact '{missing[0]}' does not exist",
        _ => $"artifacts {string.Join(", ", missing.Select(m => $"'{m}'"))} do not exist",
    };

    private static JobOutcome Ended(JobLease lease, JobStatus status, ExitStatus exit, string? reason) =>
        new() { FencingToken = lease.FencingToken, Status = status, ExitCode = exit.ExitCode, Signal = exit.Signal, Reason = reason };

    private static JobOutcome Failed(JobLease lease, string reason) =>
        new() { FencingToken = lease.FencingToken, Status = JobStatus.Failed, Reason = reason };

    /// <summary>A line from the runner itself in the job's log (stderr), so `dstack logs` says what happened.</summary>
    private static void WriteNote(LogSpool spool, string line) =>
        spool.Append(LogStream.Stderr, DateTimeOffset.UtcNow, Encoding.UTF8.GetBytes(line + "\n"));

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception)
        {
            // its failure was handled where it mattered (the job was lost, or the runner is stopping)
        }
    }
}
