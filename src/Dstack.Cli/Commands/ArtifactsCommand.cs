using Dstack.Cli.Artifacts;
using Dstack.Cli.Hosting;
using Dstack.Cli.Terminal;
using Dstack.Cli.Targets;
using Dstack.Contracts.Artifacts;
using Spectre.Console;

namespace Dstack.Cli.Commands;

/// <summary>`dstack artifacts [-t] [-o DIR] (JOB | RUN)`: lists a job's (or a run's jobs') artifact files, or downloads them.</summary>
public sealed class ArtifactsCommand(CliContext context)
{
    public sealed record Settings(string Name, bool Totals, string? Output);

    public async Task<int> ExecuteAsync(Settings settings, CancellationToken ct)
    {
        var console = context.Console;
        using var client = await context.Connector.ConnectAsync(ct);
        var target = await RunOrJobResolver.ResolveAsync(client, settings.Name, ct);
        var jobIds = target.Job is { } job ? [job.JobId] : target.Run!.Jobs.Select(j => j.JobId).ToList();
        var jobs = new List<JobArtifacts>();
        foreach (var id in jobIds) jobs.Add(await client.GetJobArtifactsAsync(id, ct));
        var isRun = target.Run is not null;

        foreach (var j in jobs)
        {
            if (j.Missing.Count > 0) console.Error.WriteLine($"{j.Workflow} ({j.JobId}): declared artifacts that did not exist: {string.Join(", ", j.Missing)}");
            if (j.Partial && j.Files.Count > 0) console.Error.WriteLine($"{j.Workflow} ({j.JobId}): partial artifacts (the job did not finish DONE)");
        }
        if (jobs.All(j => j.Files.Count == 0))
        {
            console.Out.WriteLine($"{target.Name} has no artifact files");
            return 0;
        }
        if (settings.Output is null)
        {
            (settings.Totals ? ArtifactTable.Totals(jobs, isRun) : ArtifactTable.Files(jobs, isRun)).WriteTo(console.Out);
            return 0;
        }

        var directory = Path.GetFullPath(settings.Output, context.Environment.WorkingDirectory);
        var plans = ArtifactDownloader.Plan(jobs, directory, perWorkflow: isRun);
        var downloader = new ArtifactDownloader(new BlobSource(client, context.Connector.LocalBlobStore).OpenAsync);
        ArtifactDownloader.Summary summary;
        if (console.IsTerminal)
        {
            summary = await console.Ansi.Value.Progress().AutoClear(false).StartAsync(async progress =>
            {
                var task = progress.AddTask("downloading", maxValue: Math.Max(1, plans.Sum(p => p.File.Size)));
                double before = 0;
                string? current = null;
                return await downloader.DownloadAsync(plans, (plan, written) =>
                {
                    if (current != plan.Destination)
                    {
                        before = task.Value;
                        current = plan.Destination;
                        task.Description = Markup.Escape(plan.File.Path);
                    }
                    task.Value = before + written;
                }, ct);
            });
        }
        else
        {
            summary = await downloader.DownloadAsync(plans, progress: null, ct);
        }
        var skipped = summary.Skipped > 0 ? $"; {summary.Skipped} unchanged file{(summary.Skipped == 1 ? "" : "s")} already there" : "";
        console.Out.WriteLine($"downloaded {summary.Downloaded} file{(summary.Downloaded == 1 ? "" : "s")} ({HumanSize.Format(summary.DownloadedBytes)}) to {directory}{skipped}");
        return 0;
    }
}
