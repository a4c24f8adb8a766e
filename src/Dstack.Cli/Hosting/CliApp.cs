using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Dstack.Cli.Commands;
using Dstack.Cli.Terminal;
using Dstack.Contracts;

namespace Dstack.Cli.Hosting;

/// <summary>
/// The `dstack` command tree. Each subcommand parses its options here and hands typed settings to its command class;
/// nothing here contacts a server, so `--help` and `--version` stay instant.
/// </summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken ct = default)
    {
        var root = Build(context, args);
        // `dstack` alone shows what it can do.
        var parse = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parse.Action is ParseErrorAction)
        {
            // What is wrong and where to look, without the whole help page burying it.
            var errors = parse.Errors.Select(e => e.Message).ToList();
            if (errors.Count > 1) errors.RemoveAll(e => e.StartsWith("Required command", StringComparison.Ordinal));
            foreach (var error in errors) context.Console.Error.WriteLine(error);
            context.Console.Error.WriteLine($"see `{CommandPath(parse.CommandResult)} --help`");
            return 1;
        }
        var configuration = new InvocationConfiguration
        {
            Output = context.Console.Out,
            Error = context.Console.Error,
            // Ctrl-C cancels the command's token: `run -f` and `logs -f` detach; a foreground server shuts down cleanly.
            ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
            EnableDefaultExceptionHandler = true,
        };
        return await parse.InvokeAsync(configuration, ct);
    }

    /// <summary>"dstack server stop" for the stop command's result.</summary>
    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is CommandResult c; r = c.Parent) names.Insert(0, c.Command.Name);
        names[0] = "dstack";
        return string.Join(' ', names);
    }

    /// <param name="arguments">the command line as typed, which `server` and `runner` pass on to dstackd unchanged</param>
    public static RootCommand Build(CliContext context, IReadOnlyList<string> arguments)
    {
        var root = new RootCommand("dstack: run the workflows of a git repository (.dstack/workflows.yaml) on runners");
        foreach (var option in root.Options)
        {
            if (option is VersionOption version) version.Action = new VersionAction();
        }
        root.Subcommands.Add(RunCommandDefinition(context, root));
        root.Subcommands.Add(StatusCommandDefinition(context));
        root.Subcommands.Add(LogsCommandDefinition(context));
        root.Subcommands.Add(ArtifactsCommandDefinition(context));
        root.Subcommands.Add(StopCommandDefinition(context));
        root.Subcommands.Add(ResumeCommandDefinition(context));
        root.Subcommands.Add(TagCommandDefinition(context));
        root.Subcommands.Add(UntagCommandDefinition(context));
        root.Subcommands.Add(PruneCommandDefinition(context));
        root.Subcommands.Add(InitCommandDefinition(context));
        root.Subcommands.Add(ServerCommandDefinition(context, arguments));
        root.Subcommands.Add(RunnerCommandDefinition(context, arguments));
        return root;
    }

    private static Command RunCommandDefinition(CliContext context, RootCommand root)
    {
        var tokens = new Argument<string[]>("WORKFLOW [--VARIABLE VALUE]...") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("run", "Run a workflow of .dstack/workflows.yaml with its dependencies; `dstack run --help` lists them")
        {
            tokens,
        };
        // The options are the workflow's variables, known only from the files: RunArgumentParser checks them.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => Guard(context, () => new RunCommand(context).ExecuteAsync(new RunCommand.Settings(RunTokens(parse)), ct)));

        // `--help` is the root's recursive option; for run, help comes from the workflow files, not from this tree.
        foreach (var option in root.Options)
        {
            if (option is HelpOption help && help.Action is { } standard)
            {
                help.Action = new RunAwareHelpAction(command, standard, parse => Guard(context,
                    () => new RunCommand(context).ExecuteAsync(new RunCommand.Settings([.. RunTokens(parse), "--help"]), CancellationToken.None)));
            }
        }
        return command;
    }

    /// <summary>Everything typed after `run`, in order (System.CommandLine would split known and unknown tokens).</summary>
    private static string[] RunTokens(ParseResult parse)
    {
        var all = parse.Tokens.Select(t => t.Value).ToList();
        var start = all.IndexOf("run");
        return all.Skip(start + 1).Where(t => t is not ("--help" or "-h" or "-?")).ToArray();
    }

    private static Command StatusCommandDefinition(CliContext context)
    {
        var run = new Argument<string?>("RUN") { Arity = ArgumentArity.ZeroOrOne, Description = "a run, from any repository; by default the runs of this one" };
        var last = WholeNumberOption.Create("--last", "the last N runs whatever their status (by default the unfinished ones, or else the last finished one)");
        var json = new Option<bool>("--json") { Description = "print the runs as JSON" };
        var command = new Command("status", "Show runs and their jobs") { run, last, json };
        command.SetAction((parse, ct) => Guard(context, () =>
            new StatusCommand(context, TimeProvider.System).ExecuteAsync(new StatusCommand.Settings(parse.GetValue(run), parse.GetValue(last), parse.GetValue(json)), ct)));
        return command;
    }

    private static Command LogsCommandDefinition(CliContext context)
    {
        var name = new Argument<string>("RUN | JOB") { Description = "a run name or a job id" };
        var follow = new Option<bool>("--follow", "-f") { Description = "keep streaming until the run or job has finished (Ctrl-C stops watching)" };
        var since = new Option<string?>("--since", "-s") { Description = "from this time: ISO 8601 (2026-01-31T10:00:00Z) or relative (30s, 5m, 2h, 1d); by default the whole log" };
        var command = new Command("logs", "Show the output of a run or a job") { name, follow, since };
        command.SetAction((parse, ct) => Guard(context, () =>
            new LogsCommand(context, TimeProvider.System).ExecuteAsync(new LogsCommand.Settings(parse.GetValue(name)!, parse.GetValue(follow), parse.GetValue(since)), ct)));
        return command;
    }

    private static Command ArtifactsCommandDefinition(CliContext context)
    {
        var name = new Argument<string>("JOB | RUN") { Description = "a job id, or a run name for the artifacts of all its jobs" };
        var totals = new Option<bool>("--total", "-t") { Description = "one line per artifact: its size and number of files" };
        var output = new Option<string?>("--output", "-o") { Description = "download into this folder (a run's jobs each into DIR/WORKFLOW/)" };
        var command = new Command("artifacts", "List or download the artifacts of a job or a run") { name, totals, output };
        command.SetAction((parse, ct) => Guard(context, () =>
            new ArtifactsCommand(context).ExecuteAsync(new ArtifactsCommand.Settings(parse.GetValue(name)!, parse.GetValue(totals), parse.GetValue(output)), ct)));
        return command;
    }

    private static Command StopCommandDefinition(CliContext context)
    {
        var name = new Argument<string>("RUN | JOB") { Description = "a run name (its unfinished jobs) or a job id" };
        var abort = new Option<bool>("--abort", "-a") { Description = "kill at once (SIGKILL), without uploading artifacts: ABORTING, then ABORTED" };
        var grace = WholeNumberOption.Create("--grace", "seconds between SIGTERM and SIGKILL (default 10)");
        var wait = new Option<bool>("--wait", "-w") { Description = "wait until the jobs have stopped and show how they ended" };
        var command = new Command("stop", "Stop a run or a job: SIGTERM to its processes, SIGKILL after the grace, its logs and artifacts kept") { name, abort, grace, wait };
        command.SetAction((parse, ct) => Guard(context, () =>
            new StopCommand(context, TimeProvider.System).ExecuteAsync(new StopCommand.Settings(parse.GetValue(name)!, parse.GetValue(abort), parse.GetValue(grace), parse.GetValue(wait)), ct)));
        return command;
    }

    private static Command ResumeCommandDefinition(CliContext context)
    {
        var job = new Argument<string>("JOB") { Description = "the id of a STOPPED job" };
        var command = new Command("resume", "Restart a STOPPED job with its saved artifacts in place; the jobs waiting on it carry on") { job };
        command.SetAction((parse, ct) => Guard(context, () => new ResumeCommand(context).ExecuteAsync(new ResumeCommand.Settings(parse.GetValue(job)!), ct)));
        return command;
    }

    private static Command TagCommandDefinition(CliContext context)
    {
        var run = new Argument<string>("RUN") { Description = "the run to tag" };
        var name = new Argument<string>("NAME") { Description = "the tag: letters, digits, '.', '_' and '-', up to 63 characters, starting with a letter or digit" };
        var command = new Command("tag", "Tag a run (one tag per run, unique in its repository): `depends-on: [WORKFLOW:NAME]` takes its artifacts, and prune keeps it") { run, name };
        command.SetAction((parse, ct) => Guard(context, () => new TagCommand(context).ExecuteAsync(new TagCommand.Settings(parse.GetValue(run)!, parse.GetValue(name)!), ct)));
        return command;
    }

    private static Command UntagCommandDefinition(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "a tag of this repository's runs (`dstack status` shows them)" };
        var command = new Command("untag", "Remove a tag of this repository; the run stays") { name };
        command.SetAction((parse, ct) => Guard(context, () => new UntagCommand(context).ExecuteAsync(new UntagCommand.Settings(parse.GetValue(name)!), ct)));
        return command;
    }

    private static Command PruneCommandDefinition(CliContext context)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "list what would be removed; remove nothing" };
        var command = new Command("prune", "Remove this repository's finished runs that have no tag and that no tagged or unfinished run uses, with their logs and artifacts") { dryRun };
        command.SetAction((parse, ct) => Guard(context, () => new PruneCommand(context).ExecuteAsync(new PruneCommand.Settings(parse.GetValue(dryRun)), ct)));
        return command;
    }

    private static Command InitCommandDefinition(CliContext context)
    {
        var token = new Option<string?>("--token") { Description = "access token for an HTTPS remote" };
        var key = new Option<string?>("--private-key") { Description = "path of the SSH private key for an SSH remote" };
        var passphrase = new Option<string?>("--passphrase") { Description = "passphrase of the private key" };
        var command = new Command("init", "Register this repository's remote with the server (and the credential its runners need)") { token, key, passphrase };
        command.SetAction((parse, ct) => Guard(context, () =>
            new InitCommand(context).ExecuteAsync(new InitCommand.Settings(parse.GetValue(token), parse.GetValue(key), parse.GetValue(passphrase)), ct)));
        return command;
    }

    private static Command ServerCommandDefinition(CliContext context, IReadOnlyList<string> arguments)
    {
        var host = new Option<string?>("--host") { Description = "address to listen on (default 127.0.0.1)" };
        var port = WholeNumberOption.Create("--port", "port to listen on (default: a free one)");
        var home = new Option<string?>("--home") { Description = "state folder (default DSTACK_HOME or ~/.dstack)" };
        var embedded = new Option<bool>("--embedded") { Description = "run as the background server of DSTACK_HOME, with its built-in runner", Hidden = true };
        var command = new Command("server", "Run a dstack server in the foreground") { host, port, home, embedded };
        command.SetAction((parse, ct) => Guard(context, () =>
            context.DaemonCommands.RunServerAsync(
                new ServerSettings(parse.GetValue(host), parse.GetValue(port), parse.GetValue(home), parse.GetValue(embedded)), arguments, ct)));

        var stopHome = new Option<string?>("--home") { Description = "state folder (default DSTACK_HOME or ~/.dstack)" };
        var stop = new Command("stop", "Stop the background server") { stopHome };
        stop.SetAction((parse, ct) => Guard(context, () => new ServerStopCommand(context).ExecuteAsync(new ServerStopCommand.Settings(parse.GetValue(stopHome)), ct)));
        command.Subcommands.Add(stop);
        return command;
    }

    private static Command RunnerCommandDefinition(CliContext context, IReadOnlyList<string> arguments)
    {
        var server = new Option<string?>("--server") { Description = "the server's URL (the token comes from DSTACK_RUNNER_TOKEN)" };
        var home = new Option<string?>("--home") { Description = "the runner's folder: git mirrors, workspaces, log spools (default DSTACK_HOME/runner)" };
        var slots = WholeNumberOption.Create("--slots", "jobs at once (default: one per core)");
        var serverFile = new Option<string?>("--server-file") { Hidden = true };
        var command = new Command("runner", "Run jobs for a dstack server on this machine") { server, home, slots, serverFile };
        command.SetAction((parse, ct) => Guard(context, () =>
            context.DaemonCommands.RunRunnerAsync(
                new RunnerSettings(parse.GetValue(server), parse.GetValue(home), parse.GetValue(slots), parse.GetValue(serverFile)), arguments, ct)));
        return command;
    }

    private static Task<int> Guard(CliContext context, Func<Task<int>> command) => UserErrorBoundary.RunAsync(context.Console, command);

    /// <summary>`dstack --version`: "dstack VERSION".</summary>
    private sealed class VersionAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine($"dstack {BuildInfo.Version}");
            return 0;
        }
    }

    /// <summary>Help as usual, except under `run`, whose options come from the workflow files.</summary>
    private sealed class RunAwareHelpAction(Command run, CommandLineAction standard, Func<ParseResult, Task<int>> runHelp) : AsynchronousCommandLineAction
    {
        public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
        {
            if (parseResult.CommandResult.Command == run) return await runHelp(parseResult);
            return standard switch
            {
                SynchronousCommandLineAction sync => sync.Invoke(parseResult),
                AsynchronousCommandLineAction async => await async.InvokeAsync(parseResult, cancellationToken),
                _ => 0,
            };
        }
    }
}
