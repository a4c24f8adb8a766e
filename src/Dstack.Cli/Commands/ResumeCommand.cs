using Dstack.Cli.Hosting;
using Dstack.Cli.Resuming;
using Dstack.Cli.Targets;
using Dstack.Cli.Terminal;
using Dstack.Contracts.Jobs;

namespace Dstack.Cli.Commands;

/// <summary>
/// `dstack resume JOB`: starts a new attempt of a STOPPED job, its artifacts put back in place, and re-queues the jobs
/// of its run that depend on it and were stopped before they started. The server refuses any other job with its reason.
/// </summary>
public sealed class ResumeCommand(CliContext context)
{
    public sealed record Settings(string Job);

    public async Task<int> ExecuteAsync(Settings settings, CancellationToken ct)
    {
        using var client = await context.Connector.ConnectAsync(ct);
        var job = RunOrJobResolver.LooksLikeJobId(settings.Job) ? await client.FindJobAsync(settings.Job, ct) : null;
        if (job is null)
        {
            if (await client.FindRunAsync(settings.Job, ct) is { } run) throw new CliException(ResumeReport.RunNameGiven(run));
            throw new CliException($"no job named {settings.Job}: `dstack status` lists the runs of this repository, with their jobs");
        }
        // The run before and after tells which dependents the resume brought back; the answer carries only the job.
        var before = await client.FindRunAsync(job.RunName, ct);
        // A refusal (not STOPPED, or another resume won the race) is a DstackApiException: its reason is printed, exit 1.
        JobInfo resumed = await client.ResumeJobAsync(job.JobId, ct);
        var after = await client.FindRunAsync(job.RunName, ct);
        foreach (var line in ResumeReport.Lines(resumed, before, after)) context.Console.Out.WriteLine(line);
        return 0;
    }
}
