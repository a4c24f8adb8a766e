using Spectre.Console;

namespace Dstack.Cli.Terminal;

/// <summary>
/// Writes a borderless Spectre table as plain text: wide enough never to wrap, each line without the trailing blanks
/// Spectre pads cells with, so the output reads the same on a terminal, in a pipe and in a test.
/// </summary>
public static class PlainTable
{
    public static void Write(TextWriter output, Table table)
    {
        var buffer = new StringWriter();
        CliConsole.CreateAnsi(buffer, isTerminal: false).Write(table);
        foreach (var line in buffer.ToString().Split('\n'))
        {
            var trimmed = line.TrimEnd();
            if (trimmed.Length > 0) output.Write(trimmed + "\n");
        }
    }
}
