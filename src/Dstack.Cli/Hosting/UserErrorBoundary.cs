using System.Net.Sockets;
using Dstack.Cli.Terminal;
using Dstack.Contracts.Client;
using Dstack.Core.Planning;
using Dstack.Core.Workflows;

namespace Dstack.Cli.Hosting;

/// <summary>Turns the failures a user can cause or fix into one clear line on stderr and exit code 1, never a stack trace.</summary>
public static class UserErrorBoundary
{
    public static async Task<int> RunAsync(CliConsole console, Func<Task<int>> command)
    {
        try
        {
            return await command();
        }
        catch (CliException e) { return Fail(console, e.Message); }
        catch (DstackApiException e) { return Fail(console, e.Message); }
        catch (ProtocolMismatchException e) { return Fail(console, $"{e.Message}: use a dstack of the same version as the server"); }
        catch (PlanningException e) { return Fail(console, e.Message); }
        catch (WorkflowFileException e)
        {
            foreach (var diagnostic in e.Errors) console.Error.WriteLine(diagnostic.ToString());
            return 1;
        }
        catch (IOException e) when (e.Message.Contains("Broken pipe", StringComparison.OrdinalIgnoreCase))
        {
            // `dstack logs RUN | head`: the reader has gone, so has the point of writing; exit as a shell would (128 + SIGPIPE).
            return 141;
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException || e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            return Fail(console, $"cannot reach the dstack server: {e.Message}");
        }
    }

    private static int Fail(CliConsole console, string message)
    {
        console.Error.WriteLine(message);
        return 1;
    }
}
