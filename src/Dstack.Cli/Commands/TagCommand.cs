using Dstack.Cli.Hosting;
using Dstack.Contracts.Runs;

namespace Dstack.Cli.Commands;

/// <summary>
/// `dstack tag RUN NAME`: names a run within its repository, so `depends-on: [W:NAME]` can take its artifacts and
/// `dstack prune` keeps it. A run has one tag: tagging it again replaces the old one. The server checks the name and
/// refuses an unknown run or a name another run of the repository holds, saying which.
/// </summary>
public sealed class TagCommand(CliContext context)
{
    public sealed record Settings(string Run, string Tag);

    public async Task<int> ExecuteAsync(Settings settings, CancellationToken ct)
    {
        using var client = await context.Connector.ConnectAsync(ct);
        var run = await client.TagRunAsync(settings.Run, settings.Tag, ct);
        context.Console.Out.WriteLine(Line(run));
        return 0;
    }

    public static string Line(RunInfo run) => $"tagged run {run.RunName} as {run.Tag}";
}
