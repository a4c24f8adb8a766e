using Dstack.Cli.Hosting;
using Dstack.Cli.Stopping;
using Dstack.Cli.Targets;
using Dstack.Cli.Terminal;
using Dstack.Contracts.Jobs;

namespace Dstack.Cli.Commands;

/// <summary>
/// `dstack stop [-a] [--grace S] [-w] (RUN | JOB)`: asks the server to stop (or abort) the unfinished jobs and says
/// which it changed. The stop completes in the background (STOPPING -> STOPPED); with --wait the command stays until it has.
/// </summary>
public sealed class StopCommand(CliContext context, TimeProvider time)
{
    public sealed record Settings(string Name, bool Abort, int? GraceSeconds, bool Wait);

    public async Task<int> ExecuteAsync(Settings settings, CancellationToken ct)
    {
        var request = Request(settings);
        var console = context.Console;
        using var client = await context.Connector.ConnectAsync(ct);
        var target = await RunOrJobResolver.ResolveAsync(client, settings.Name, ct);
        var result = target.Run is { } run
            ? await client.StopRunAsync(run.RunName, request, ct)
            : await client.StopJobAsync(target.Job!.JobId, request, ct);

        if (result.Changed.Count == 0)
        {
            console.Out.WriteLine(StopReport.NothingToStop(target, result, settings.Abort));
            return 0;
        }
        foreach (var line in StopReport.ChangedLines(result)) console.Out.WriteLine(line);
        if (!settings.Wait) return 0;

        var changed = result.Changed.ToHashSet(StringComparer.Ordinal);
        var unfinished = result.Jobs.Where(j => changed.Contains(j.JobId) && !j.Status.IsFinished()).ToList();
        var bound = StopWaiter.Bound(settings.Abort, settings.GraceSeconds);
        var waiter = new StopWaiter(client.FindJobAsync, time, StopWaiter.DefaultInterval);
        IReadOnlyList<JobInfo> left;
        try
        {
            left = await waiter.WaitAsync(unfinished, bound, job =>
            {
                console.Out.WriteLine(StopReport.FinalLine(job));
                return Task.CompletedTask;
            }, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            console.Error.WriteLine($"stopped waiting: the stop goes on. See it with `dstack status {RunName(target)}`");
            return 130;
        }
        if (left.Count == 0) return 0;
        var still = string.Join("; ", left.Select(j => $"{j.JobId} ({j.Workflow}) is still {j.Status.ToDisplay()}"));
        throw new CliException($"gave up waiting after {bound.TotalSeconds:0} s: {still}. See it with `dstack status {RunName(target)}`");
    }

    /// <summary>Checks the options before any server is involved.</summary>
    public static StopRequest Request(Settings settings)
    {
        if (settings.GraceSeconds is { } grace && settings.Abort)
            throw new CliException($"--grace {grace} goes with a graceful stop, and --abort kills at once without one: drop one of them");
        if (settings.GraceSeconds is < 0)
            throw new CliException($"--grace {settings.GraceSeconds}: give the seconds between SIGTERM and SIGKILL, 0 or more");
        return new StopRequest { Abort = settings.Abort, GraceSeconds = settings.GraceSeconds };
    }

    private static string RunName(RunOrJob target) => target.Run?.RunName ?? target.Job!.RunName;
}
