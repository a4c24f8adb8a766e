using System.Diagnostics;
using Dstack.Cli.Terminal;

namespace Dstack.Cli.Connection;

/// <summary>
/// dstackd, the binary installed beside `dstack` that holds the server and the runner (docs/adr/0011-small-cli-binary.md):
/// `FILE PREFIX... server|runner ...` starts them. Installed, it is the file `dstackd` next to this executable; run
/// through the dotnet host (tests), it is `dotnet dstackd.dll` from the same folder.
/// </summary>
public sealed record DaemonExecutable(string FileName, IReadOnlyList<string> PrefixArguments)
{
    public const string Name = "dstackd";

    public static DaemonExecutable ForThisInstallation()
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this executable is unknown");
        if (Path.GetFileNameWithoutExtension(processPath) is "dotnet" or "testhost")
        {
            var dotnet = Path.GetFileNameWithoutExtension(processPath) == "dotnet" ? processPath : "dotnet";
            return new DaemonExecutable(dotnet, [Path.Combine(AppContext.BaseDirectory, Name + ".dll")]);
        }
        // ProcessPath is the resolved file (/proc/self/exe), so a `dstack` on PATH that is a link still finds its
        // installation folder.
        return new DaemonExecutable(Path.Combine(Path.GetDirectoryName(processPath) ?? AppContext.BaseDirectory, Name), []);
    }

    /// <summary>The file that must exist for this to start: the binary itself, or the dll the dotnet host runs.</summary>
    public string InstalledFile => PrefixArguments.Count > 0 ? PrefixArguments[0] : FileName;

    /// <summary>A clear error when dstackd is missing (a copied `dstack` without its folder, a half-done install).</summary>
    public void EnsureInstalled()
    {
        if (!File.Exists(InstalledFile))
        {
            throw new CliException(
                $"{InstalledFile} is missing: dstack needs {Name} beside it for the server and the runner; install both with ./install.sh");
        }
    }

    /// <summary>
    /// Starts the server in a session of its own (setsid), so Ctrl-C in the user's terminal never reaches it, with
    /// stdin from /dev/null and its output appended to server.log, so it holds none of our file descriptors.
    /// </summary>
    public Process StartEmbeddedServer(DstackHome home)
    {
        EnsureInstalled();
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
