using Dstack.Cli.Connection;
using Dstack.Cli.Git;
using Dstack.Cli.Hosting;
using Dstack.Cli.Status;
using Dstack.Cli.Terminal;
using Dstack.Contracts.Runs;

namespace Dstack.Cli.Commands;

/// <summary>`dstack status [RUN] [--last N] [--json]`: the runs of the current repository (or the one named), with their jobs.</summary>
public sealed class StatusCommand(CliContext context, TimeProvider time)
{
    public sealed record Settings(string? Run, int? Last, bool Json);

    public async Task<int> ExecuteAsync(Settings settings, CancellationToken ct)
    {
        if (settings.Last is <= 0) throw new CliException($"--last {settings.Last}: give a number of runs of 1 or more");
        List<RunInfo> runs;
        string? repoUrl = null;
        if (settings.Run is { } name)
        {
            using var client = await context.Connector.ConnectAsync(ct);
            var run = await client.FindRunAsync(name, ct) ?? throw new CliException($"no run named {name}: `dstack status` lists the runs of this repository");
            runs = [run];
        }
        else
        {
            var directory = context.Environment.WorkingDirectory;
            var discovering = GitContext.DiscoverAsync(directory, ct);
            // While git answers, the server is reached and the HTTP client warmed, so the listing goes out the moment the
            // repository's URL is known. Outside a repository nothing is started: git's refusal is the answer.
            var connecting = GitContext.MayBeInRepository(directory) ? context.Connector.ConnectWarmAsync(ct) : null;
            try
            {
                repoUrl = await (await discovering).GetRemoteUrlAsync(ct);
            }
            catch
            {
                ServerConnector.Abandon(connecting);
                throw;
            }
            using var client = await (connecting ?? context.Connector.ConnectAsync(ct));
            runs = await client.ListRunsAsync(repoUrl, settings.Last, ct);
        }

        var console = context.Console;
        if (settings.Json)
        {
            console.Out.WriteLine(StatusJson.Render(runs));
            return 0;
        }
        if (runs.Count == 0)
        {
            console.Out.WriteLine($"no runs yet for {repoUrl}: start one with `dstack run WORKFLOW`");
            return 0;
        }
        StatusTable.Build(runs, time.GetUtcNow()).WriteTo(console.Out);
        return 0;
    }
}
