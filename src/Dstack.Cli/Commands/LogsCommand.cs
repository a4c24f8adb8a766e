using Dstack.Cli.Hosting;
using Dstack.Cli.Logs;
using Dstack.Cli.Targets;

namespace Dstack.Cli.Commands;

/// <summary>`dstack logs [-f] [-s SINCE] (RUN | JOB)`: the output exactly as the jobs wrote it; with -f until the run or job ends.</summary>
public sealed class LogsCommand(CliContext context, TimeProvider time)
{
    public sealed record Settings(string Name, bool Follow, string? Since);

    public async Task<int> ExecuteAsync(Settings settings, CancellationToken ct)
    {
        var since = settings.Since is null ? (DateTimeOffset?)null : SinceParser.Parse(settings.Since, time.GetUtcNow());
        using var client = await context.Connector.ConnectAsync(ct);
        var target = await RunOrJobResolver.ResolveAsync(client, settings.Name, ct);
        await context.Console.Out.FlushAsync(ct);
        // Buffered, for a large log; LogPrinter flushes after each record when following.
        // Not disposed: that would close stdout itself.
        var output = new BufferedStream(context.Console.OutBytes, 1 << 16);
        try
        {
            await LogPrinter.PrintAsync(client, target, since, settings.Follow, output, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return 130;
        }
        finally
        {
            await output.FlushAsync(CancellationToken.None);
        }
        return 0;
    }
}
