using System.Runtime.InteropServices;
using Dstack.Contracts.Client;
using Dstack.Runner.Blobs;
using Dstack.Runner.Capabilities;
using Dstack.Runner.Connection;
using Dstack.Runner.Execution;
using Dstack.Runner.Jobs;
using Dstack.Runner.Workspace;

namespace Dstack.Runner.Hosting;

/// <summary>
/// Entry point of a runner process; `dstack runner` calls it. Returns the process exit code:
/// 0 stopped (SIGTERM, SIGINT or ct), 2 bad options, 3 the server speaks another protocol,
/// 4 another runner is already using this home.
/// </summary>
public static class RunnerProgram
{
    public static async Task<int> RunAsync(RunnerOptions options, CancellationToken ct)
    {
        var log = new RunnerLog(options.LogWriter ?? Console.Error);
        if (options.Server is null && options.ServerFile is null)
        {
            log.Warn("no server given: pass the server's URL (or, for the built-in runner, its server.json)");
            return 2;
        }
        if (options.Slots < 1)
        {
            log.Warn($"slots must be at least 1, not {options.Slots}");
            return 2;
        }
        var paths = new RunnerPaths(options.Home);
        paths.Create();
        if (RunnerStateFile.Load(options.Home) is { } previous && OtherRunnerIsAlive(previous.Pid))
        {
            log.Warn($"another runner (pid {previous.Pid}) is using {options.Home}; stop it first");
            return 4;
        }
        // Orphans of a job (a grandchild whose parent died, a daemon that called setsid) are re-parented to the
        // runner, not to init: the job's clean-up finds them there, kills and reaps them.
        if (!ChildSubreaper.Become()) log.Warn($"could not become a child subreaper (errno {Marshal.GetLastPInvokeError()}): orphans of jobs are still killed, but not reaped by the runner");
        var leftovers = SlotJobFile.KillLeftovers(paths.Slots, log);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

        using var connection = new ServerConnection(new ServerLocator(options.Server, options.ServerFile), options.Token, log, options.MaxRetryDelay);
        using var identity = new RunnerIdentity(connection, options, CapabilityProbe.Probe(), log);
        try
        {
            await identity.RegisterAsync(stop.Token);
            // Before the first heartbeat (which lists no job): the server learns why those jobs ended.
            await LostJobReport.ReportAsync(connection, leftovers, log, stop.Token);
            var activeJobs = new ActiveJobSet();
            using var mirrors = new MirrorStore(paths.Mirrors);
            var local = options.BlobStore is { } store ? new LocalBlobStore(store) : null;
            IBlobTransfer blobs = local is null ? new ServerBlobTransfer(connection) : new LocalFirstBlobTransfer(new ServerBlobTransfer(connection), local);
            var inbox = local?.Inbox;
            var loops = new List<Task>
            {
                new HeartbeatLoop(connection, identity, activeJobs, log).RunAsync(stop.Token),
                new OrdersLoop(connection, identity, activeJobs, log, options.LeaseWait).RunAsync(stop.Token),
            };
            for (var slot = 0; slot < options.Slots; slot++)
            {
                var workspace = new SlotWorkspace(paths.Slot(slot), mirrors);
                var executor = new JobExecutor(slot, workspace, connection, blobs, inbox, activeJobs, paths, log);
                loops.Add(new SlotLoop(connection, identity, executor, options.LeaseWait).RunAsync(stop.Token));
            }
            await WhenAllStopAsync(loops, stop);
            log.Info("stopped");
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            log.Info("stopped");
            return 0;
        }
        catch (ProtocolMismatchException e)
        {
            log.Warn($"{e.Message}; restart the runner with the server's version");
            return 3;
        }

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // stop the way ct does: kill the jobs, report them, exit
            stop.Cancel();
        }
    }

    /// <summary>Waits for every loop; the first one to fail for good (e.g. a protocol mismatch) stops the others.</summary>
    private static async Task WhenAllStopAsync(List<Task> loops, CancellationTokenSource stop)
    {
        var pending = loops.ToList();
        Exception? failure = null;
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            if (done.IsFaulted && done.Exception!.InnerException is not OperationCanceledException && failure is null)
            {
                failure = done.Exception.InnerException;
                await stop.CancelAsync();
            }
        }
        if (failure is not null) throw failure;
        stop.Token.ThrowIfCancellationRequested();
    }

    /// <summary>A live process running the same program as this one, other than this one: another runner.</summary>
    private static bool OtherRunnerIsAlive(int pid)
    {
        if (pid == Environment.ProcessId || pid <= 0) return false;
        try
        {
            var other = new FileInfo($"/proc/{pid}/exe").LinkTarget;
            var self = new FileInfo("/proc/self/exe").LinkTarget;
            return other is not null && other == self;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
