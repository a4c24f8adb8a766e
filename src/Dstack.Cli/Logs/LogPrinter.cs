using Dstack.Cli.Targets;
using Dstack.Contracts.Client;

namespace Dstack.Cli.Logs;

/// <summary>Streams the logs of a run or a job to stdout: the whole log, or from a time, and with follow until it ends.</summary>
public static class LogPrinter
{
    public static async Task PrintAsync(DstackClient client, RunOrJob target, DateTimeOffset? since, bool follow, Stream output, CancellationToken ct)
    {
        if (target.Job is { } job)
        {
            var single = new LogLinePrefixer(output, prefixes: null);
            await foreach (var record in client.StreamJobLogsAsync(job.JobId, since, follow, ct))
            {
                await single.WriteAsync(record.JobId, record.Data, ct);
                if (follow) await output.FlushAsync(ct);
            }
            await single.FlushAsync(ct);
            return;
        }
        var run = target.Run!;
        var prefixes = run.Jobs.Count > 1
            ? LogLinePrefixer.PrefixesFor(run.Jobs.ToDictionary(j => j.JobId, j => j.Workflow, StringComparer.Ordinal))
            : null;
        var writer = new LogLinePrefixer(output, prefixes);
        try
        {
            await foreach (var record in client.StreamRunLogsAsync(run.RunName, since, follow, ct))
            {
                await writer.WriteAsync(record.JobId, record.Data, ct);
                if (follow) await output.FlushAsync(ct);
            }
        }
        finally
        {
            // Also on Ctrl-C: what was held back is still shown.
            await writer.FlushAsync(CancellationToken.None);
        }
    }
}
