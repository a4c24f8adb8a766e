using Dstack.Cli.Connection;

namespace Dstack.Cli.Hosting;

/// <summary>
/// How the installed `dstack` runs `server` and `runner`: it becomes dstackd (exec), with the same command line, pid,
/// terminal and signals, so Ctrl-C, SIGTERM and the exit code behave as if dstack ran them itself. Keeping the server
/// and runner out of the CLI binary keeps every other command's start-up small (docs/adr/0011-small-cli-binary.md).
/// </summary>
public sealed class DaemonHandOver(DaemonExecutable daemon) : IDaemonCommands
{
    public Task<int> RunServerAsync(ServerSettings settings, IReadOnlyList<string> arguments, CancellationToken ct) => Task.FromResult(Become(arguments));

    public Task<int> RunRunnerAsync(RunnerSettings settings, IReadOnlyList<string> arguments, CancellationToken ct) => Task.FromResult(Become(arguments));

    private int Become(IReadOnlyList<string> arguments)
    {
        daemon.EnsureInstalled();
        ProcessImage.Replace(daemon.FileName, [daemon.FileName, .. daemon.PrefixArguments, .. arguments]);
        return 1; // not reached: Replace returns only by throwing
    }
}
