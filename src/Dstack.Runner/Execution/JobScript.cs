using System.Text;
using Dstack.Runner.Files;

namespace Dstack.Runner.Execution;

/// <summary>
/// The commands of a job, one per line, as one bash script: run with -e, the first failing command stops
/// it, and shell variables carry from line to line. Written outside the workspace (a job's files must
/// not see it, and `git clean` must not delete it); one file per slot, rewritten in place per job
/// (<see cref="InPlaceFile"/>).
/// </summary>
public static class JobScript
{
    public static string Write(string folder, int slot, IReadOnlyList<string> commands)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"slot-{slot}.sh");
        var script = new StringBuilder();
        foreach (var command in commands) script.Append(command.ReplaceLineEndings("\n")).Append('\n');
        InPlaceFile.Write(path, Encoding.UTF8.GetBytes(script.ToString()));
        return path;
    }
}
