using Dstack.Cli.Hosting;
using Dstack.Cli.Terminal;
using Dstack.Runner.Hosting;

namespace Dstack.Daemon;

/// <summary>
/// `dstack runner [--server URL] [--home DIR] [--slots N]`: a runner process, its token from DSTACK_RUNNER_TOKEN (never
/// the command line, where `ps` shows it). The embedded server starts its built-in runner with `--server-file`.
/// </summary>
public sealed class RunnerCommand(CliEnvironment environment)
{
    public Task<int> ExecuteAsync(RunnerSettings settings, CancellationToken ct)
    {
        // The runner needs process groups, setsid and prctl: Linux only (the analyzer checks this guard).
        if (!OperatingSystem.IsLinux()) throw new CliException("dstack runner runs on Linux only");
        var token = environment.Get("DSTACK_RUNNER_TOKEN")
            ?? throw new CliException("DSTACK_RUNNER_TOKEN is not set: set it to the runner token of your server");
        Uri? server = null;
        if (settings.Server is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out server) || server.Scheme is not ("http" or "https")))
        {
            throw new CliException($"--server '{url}' is not an http(s) URL: give the server's address like http://host:3000");
        }
        if (server is null && settings.ServerFile is null)
        {
            throw new CliException("--server URL is missing: give the address of the dstack server this runner works for");
        }
        if (settings.Slots is <= 0) throw new CliException($"--slots {settings.Slots}: give 1 or more");
        var options = new RunnerOptions
        {
            Server = server,
            ServerFile = settings.ServerFile is null ? null : Path.GetFullPath(settings.ServerFile, environment.WorkingDirectory),
            Token = token,
            Home = Path.GetFullPath(settings.Home ?? Path.Combine(environment.Home, "runner"), environment.WorkingDirectory),
            Slots = settings.Slots ?? Environment.ProcessorCount,
            BlobStore = environment.Get("DSTACK_RUNNER_BLOB_STORE") is { Length: > 0 } store ? store : null,
        };
        return RunnerProgram.RunAsync(options, ct);
    }
}
