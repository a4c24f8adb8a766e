using Dstack.Cli.Targets;
using Dstack.Contracts.Client;
using Dstack.Contracts.Logs;

namespace Dstack.Cli.Logs;

/// <summary>Streams the logs of a run or a job to stdout: the whole log, or from a time, and with follow until it ends.</summary>
public static class LogPrinter
{
    public static async Task PrintAsync(DstackClient client, RunOrJob target, DateTimeOffset? since, bool follow, Stream output, CancellationToken ct)
    {
        IAsyncEnumerable<LogRecord> records;
        LogRecordWriter writer;
        if (target.Job is { } job)
        {
            records = client.StreamJobLogsAsync(job.JobId, since, follow, ct);
            var attempts = new Dictionary<string, int>(StringComparer.Ordinal) { [job.JobId] = AttemptMarkers.AttemptsOf(job) };
            writer = new LogRecordWriter(new LogLinePrefixer(output, prefixes: null), new AttemptMarkers(attempts));
        }
        else
        {
            var run = target.Run!;
            records = client.StreamRunLogsAsync(run.RunName, since, follow, ct);
            var prefixes = run.Jobs.Count > 1
                ? LogLinePrefixer.PrefixesFor(run.Jobs.ToDictionary(j => j.JobId, j => j.Workflow, StringComparer.Ordinal))
                : null;
            var attempts = run.Jobs.ToDictionary(j => j.JobId, AttemptMarkers.AttemptsOf, StringComparer.Ordinal);
            writer = new LogRecordWriter(new LogLinePrefixer(output, prefixes), new AttemptMarkers(attempts));
        }
        try
        {
            await foreach (var record in records)
            {
                await writer.WriteAsync(record, ct);
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
