using System.Diagnostics;

namespace Dstack.Cli.Connection;

/// <summary>
/// How to start `dstack server --embedded` as a process of its own: this very executable, or `dotnet dstack.dll` when
/// the CLI runs through the dotnet host (tests, `dotnet run`).
/// </summary>
public sealed record ServerLaunchCommand(string FileName, IReadOnlyList<string> PrefixArguments)
{
    public static ServerLaunchCommand ForThisProcess()
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this executable is unknown");
        if (Path.GetFileNameWithoutExtension(processPath) is "dotnet" or "testhost")
        {
            var dotnet = Path.GetFileNameWithoutExtension(processPath) == "dotnet" ? processPath : "dotnet";
            return new ServerLaunchCommand(dotnet, [Path.Combine(AppContext.BaseDirectory, "dstack.dll")]);
        }
        return new ServerLaunchCommand(processPath, []);
    }

    /// <summary>
    /// Starts the server in a session of its own (setsid), so Ctrl-C in the user's terminal never reaches it, with
    /// stdin from /dev/null and its output appended to server.log, so it holds none of our file descriptors.
    /// </summary>
    public Process StartEmbeddedServer(DstackHome home)
    {
        var info = new ProcessStartInfo("setsid") { UseShellExecute = false };
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$DSTACK_SERVER_LOG\" 2>&1 </dev/null");
        info.ArgumentList.Add(FileName);
        foreach (var a in PrefixArguments) info.ArgumentList.Add(a);
        info.ArgumentList.Add("server");
        info.ArgumentList.Add("--embedded");
        info.ArgumentList.Add("--home");
        info.ArgumentList.Add(home.Path);
        info.Environment["DSTACK_SERVER_LOG"] = home.ServerLog;
        // The server is local by definition: never let a remote server's settings leak into it.
        info.Environment.Remove("DSTACK_SERVER_URL");
        info.Environment.Remove("DSTACK_TOKEN");
        return Process.Start(info) ?? throw new InvalidOperationException("could not start setsid");
    }
}
