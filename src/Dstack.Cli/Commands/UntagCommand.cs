using Dstack.Cli.Git;
using Dstack.Cli.Hosting;
using Dstack.Contracts.Runs;

namespace Dstack.Cli.Commands;

/// <summary>
/// `dstack untag NAME`: removes a tag of this repository (tags are per repository, so the repository is the current
/// git repository's remote, as `status` finds it). The run stays; `dstack prune` may remove it from now on.
/// </summary>
public sealed class UntagCommand(CliContext context)
{
    public sealed record Settings(string Tag);

    public async Task<int> ExecuteAsync(Settings settings, CancellationToken ct)
    {
        var git = await GitContext.DiscoverAsync(context.Environment.WorkingDirectory, ct);
        var remote = await git.GetRemoteUrlAsync(ct);
        using var client = await context.Connector.ConnectAsync(ct);
        var run = await client.UntagAsync(settings.Tag, remote, ct);
        context.Console.Out.WriteLine(Line(settings.Tag, run));
        return 0;
    }

    public static string Line(string tag, RunInfo run) => $"removed tag {tag} from run {run.RunName}";
}
