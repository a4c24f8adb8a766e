using Dstack.Cli.Git;
using Dstack.Cli.Hosting;
using Dstack.Cli.Pruning;
using Dstack.Contracts.Pruning;

namespace Dstack.Cli.Commands;

/// <summary>
/// `dstack prune [--dry-run]`: removes this repository's finished runs that have no tag and that no tagged or
/// unfinished run uses, with their jobs, logs and artifacts; stored files still referenced elsewhere stay.
/// </summary>
public sealed class PruneCommand(CliContext context)
{
    public sealed record Settings(bool DryRun);

    public async Task<int> ExecuteAsync(Settings settings, CancellationToken ct)
    {
        var git = await GitContext.DiscoverAsync(context.Environment.WorkingDirectory, ct);
        var remote = await git.GetRemoteUrlAsync(ct);
        using var client = await context.Connector.ConnectAsync(ct);
        var result = await client.PruneAsync(new PruneRequest { RepoUrl = remote, DryRun = settings.DryRun }, ct);
        foreach (var line in PruneReport.Lines(result)) context.Console.Out.WriteLine(line);
        return 0;
    }
}
