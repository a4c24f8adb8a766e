using System.Text;
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
/// Runs one leased job in one slot: workspace, commands, logs, artifacts, outcome. Delivery: every
/// report is retried until the server answers (at-least-once, idempotent on the server); the outcome
/// goes last, after all logs are acknowledged and the artifact manifest is stored, so a DONE job has
/// all of its output. A job that stops being ours is killed and nothing more is said about it.
/// </summary>
public sealed class JobExecutor(
    int slot, SlotWorkspace workspace, ServerConnection connection, IBlobTransfer blobs,
    ActiveJobSet activeJobs, RunnerPaths paths, RunnerLog log)
{
    private static readonly TimeSpan ShutdownReportTime = TimeSpan.FromSeconds(3);

    private string SlotFolder => paths.Slot(slot);

    public async Task ExecuteAsync(JobLease lease, CancellationToken shutdown)
    {
        using var job = new RunningJob(lease, shutdown);
        activeJobs.Add(job);
        var reporter = new JobReporter(connection, job);
        var spool = LogSpool.Create(paths.JobSpool(lease.JobId, lease.Attempt));
        var shipper = new LogShipper(spool, reporter.AppendLogsAsync);
        var shipping = shipper.RunAsync(job.Token);
        JobProcess? process = null;
        log.Info($"job {lease.JobId} ({lease.RunName}/{lease.Workflow}, attempt {lease.Attempt}) started in slot {slot}");
        try
        {
            var outcome = await RunAsync(job, reporter, spool, started => process = started);
            spool.Complete();
            await shipping;
            await reporter.ReportOutcomeAsync(outcome, job.Token);
            spool.Delete();
            log.Info($"job {lease.JobId} {outcome.Status.ToString().ToUpperInvariant()}{(outcome.Reason is null ? "" : ": " + outcome.Reason)}");
        }
        catch (Exception) when (job.LostReason is not null)
        {
            process?.Kill();
            log.Warn($"job {lease.JobId} killed: {job.LostReason}");
            spool.Delete();
        }
        catch (Exception) when (shutdown.IsCancellationRequested)
        {
            if (process is not null) await process.KillAndDrainAsync();
            await ReportShutdownAsync(lease, reporter, spool, shipper, shipping);
        }
        catch (Exception e)
        {
            // A fault of the runner itself (bash missing, disk full): the job fails with it rather than hang.
            process?.Kill();
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
                spool.Delete();
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
            await reporter.ReportOutcomeAsync(new JobOutcome { FencingToken = lease.FencingToken, Status = JobStatus.Failed, Reason = "runner shut down" }, deadline.Token);
            spool.Delete();
            log.Info($"job {lease.JobId} FAILED: runner shut down");
        }
        catch (Exception e)
        {
            log.Warn($"job {lease.JobId}: could not report the shutdown to the server ({e.Message})");
        }
    }

    private async Task<JobOutcome> RunAsync(RunningJob job, JobReporter reporter, LogSpool spool, Action<JobProcess> started)
    {
        var lease = job.Lease;
        var spec = lease.Spec;
        var ct = job.Token;
        string workDir;
        try
        {
            workDir = await workspace.PrepareAsync(spec, blobs, paths.Temp, line => WriteNote(spool, line), ct);
        }
        catch (WorkspacePreparationException e)
        {
            if (e.Log is { Length: > 0 }) spool.Append(LogStream.Stderr, DateTimeOffset.UtcNow, e.Log);
            WriteNote(spool, "dstack: " + e.Reason);
            return Failed(lease, e.Reason);
        }
        catch (Exception e) when (e is not OperationCanceledException && job.LostReason is null)
        {
            var reason = $"could not prepare the workspace: {e.Message}";
            WriteNote(spool, "dstack: " + reason);
            return Failed(lease, reason);
        }

        var script = await JobScript.WriteAsync(paths.Spool, slot, spec.Commands, ct);
        var process = JobProcess.Start(script, workDir, spec.Environment, spool);
        started(process); // ExecuteAsync owns it from here: kills and disposes it on every path
        SlotJobFile.Save(SlotFolder, new SlotJobRecord
        {
            JobId = lease.JobId,
            ProcessGroupId = process.ProcessGroupId,
            StartTicks = ProcessStartTime.Read(process.ProcessGroupId) ?? 0,
        });
        var running = reporter.ReportProgressAsync(JobStatus.Running, process.ProcessGroupId, ct);
        var exit = await process.WaitAsync(ct);
        SlotJobFile.Clear(SlotFolder);
        await running;

        await reporter.ReportProgressAsync(JobStatus.Uploading, null, ct);
        return await UploadArtifactsAsync(lease, exit, workDir, reporter, spool, ct);
    }

    private async Task<JobOutcome> UploadArtifactsAsync(JobLease lease, ExitStatus exit, string workDir, JobReporter reporter, LogSpool spool, CancellationToken ct)
    {
        var spec = lease.Spec;
        string? reason = exit.Succeeded ? null : exit.Describe();
        if (spec.Artifacts.Count > 0)
        {
            var collected = ArtifactCollector.Collect(workspace.Root, workDir, spec.Artifacts);
            foreach (var skipped in collected.Skipped) WriteNote(spool, $"dstack: artifact file skipped: {skipped}");
            foreach (var refused in collected.Refused) WriteNote(spool, $"dstack: {refused}");
            reason ??= (collected.Refused.Count > 0 ? collected.Refused[0] : null) ?? MissingReason(collected.Missing);
            List<Contracts.Artifacts.ArtifactFile> files;
            try
            {
                files = await ArtifactUploader.UploadAsync(collected.Files, blobs, ct);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                reason ??= $"could not upload the artifacts: {e.Message}";
                WriteNote(spool, "dstack: " + reason);
                files = [];
            }
            await reporter.PutManifestAsync(new ArtifactManifest
            {
                FencingToken = lease.FencingToken,
                Files = files,
                Missing = collected.Missing,
                Partial = reason is not null,
            }, ct);
        }
        return new JobOutcome
        {
            FencingToken = lease.FencingToken,
            Status = reason is null ? JobStatus.Done : JobStatus.Failed,
            ExitCode = exit.ExitCode,
            Signal = exit.Signal,
            Reason = reason,
        };
    }

    private static string? MissingReason(IReadOnlyList<string> missing) => missing.Count switch
    {
        0 => null,
        1 => $"artifact '{missing[0]}' does not exist",
        _ => $"artifacts {string.Join(", ", missing.Select(m => $"'{m}'"))} do not exist",
    };

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
