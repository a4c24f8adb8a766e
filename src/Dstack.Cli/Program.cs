using Dstack.Cli.Connection;
using Dstack.Cli.Hosting;
using Dstack.Cli.Terminal;

var daemon = DaemonExecutable.ForThisInstallation();
var context = new CliContext(CliConsole.ForProcess(), CliEnvironment.ForProcess(), daemon, new DaemonHandOver(daemon));
return await CliApp.RunAsync(args, context);
