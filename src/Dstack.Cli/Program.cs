using Dstack.Cli.Connection;
using Dstack.Cli.Hosting;
using Dstack.Cli.Terminal;

var context = new CliContext(CliConsole.ForProcess(), CliEnvironment.ForProcess(), ServerLaunchCommand.ForThisProcess());
return await CliApp.RunAsync(args, context);
