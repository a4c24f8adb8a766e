using System.Text;

namespace Dstack.Runner.Workspace;

/// <summary>How a git command ended; stderr kept as bytes for the job's log.</summary>
public sealed record GitResult(int ExitCode, string Stdout, byte[] Stderr)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The first non-empty line of stderr without git's "fatal: " / "error: " prefix, for a one-line reason.</summary>
    public string FirstErrorLine()
    {
        foreach (var raw in Encoding.UTF8.GetString(Stderr).Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            foreach (var prefix in (string[])["fatal: ", "error: "])
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal)) return line[prefix.Length..];
            }
            return line;
        }
        return $"git exited with code {ExitCode}";
    }
}
