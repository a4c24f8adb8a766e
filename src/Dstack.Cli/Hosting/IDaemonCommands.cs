namespace Dstack.Cli.Hosting;

/// <summary>
/// `dstack server` and `dstack runner`: the CLI parses and checks them like any command, then hands them to dstackd,
/// the binary that holds the server and the runner (DaemonHandOver); dstackd itself, and tests, run them in-process.
/// </summary>
public interface IDaemonCommands
{
    /// <param name="arguments">the whole command line as typed, for a hand-over that passes it on unchanged</param>
    Task<int> RunServerAsync(ServerSettings settings, IReadOnlyList<string> arguments, CancellationToken ct);

    /// <param name="arguments">the whole command line as typed, for a hand-over that passes it on unchanged</param>
    Task<int> RunRunnerAsync(RunnerSettings settings, IReadOnlyList<string> arguments, CancellationToken ct);
}
