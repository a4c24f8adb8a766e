using System.Text;
using Dstack.Cli.Connection;
using Dstack.Cli.Hosting;
using Dstack.Cli.Terminal;
using Dstack.Daemon;

namespace Dstack.Cli.Tests.Support;

/// <summary>Runs `dstack ARGS` in-process against captured stdout/stderr, in a given folder with given environment variables.</summary>
public sealed class CliHarness
{
    public sealed record Result(int ExitCode, string Out, string Error, byte[] OutBytes);

    public static async Task<Result> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var stdout = new MemoryStream();
        var outWriter = new StreamWriter(stdout, new UTF8Encoding(false), 1024, leaveOpen: true) { AutoFlush = true };
        var error = new StringWriter();
        var console = new CliConsole
        {
            Out = outWriter,
            OutBytes = stdout,
            Error = error,
            Ansi = new(() => CliConsole.CreateAnsi(outWriter, isTerminal: false)),
            IsTerminal = false,
        };
        var env = new Dictionary<string, string?>
        {
            // Never the developer's own server or home.
            ["DSTACK_SERVER_URL"] = null,
            ["DSTACK_TOKEN"] = null,
            ["DSTACK_HOME"] = Path.Combine(workingDirectory, ".dstack-home-unused"),
        };
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>()) env[k] = v;
        var environmentForTest = new CliEnvironment(workingDirectory, env);
        var context = new CliContext(console, environmentForTest, DaemonExecutable.ForThisInstallation(), new InProcessDaemonCommands(environmentForTest));
        var code = await CliApp.RunAsync(args, context);
        await outWriter.FlushAsync();
        var bytes = stdout.ToArray();
        return new Result(code, Encoding.UTF8.GetString(bytes), error.ToString(), bytes);
    }

    public static Task<Result> RunAsync(string workingDirectory, params string[] args) => RunAsync(workingDirectory, null, args);
}
