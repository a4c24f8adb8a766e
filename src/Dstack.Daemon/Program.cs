using Dstack.Cli.Connection;
using Dstack.Cli.Hosting;
using Dstack.Cli.Terminal;
using Dstack.Daemon;

// The same command tree as `dstack`, with `server` and `runner` run here rather than handed over.
var environment = CliEnvironment.ForProcess();
var context = new CliContext(CliConsole.ForProcess(), environment, DaemonExecutable.ForThisInstallation(), new InProcessDaemonCommands(environment));
return await CliApp.RunAsync(args, context);
