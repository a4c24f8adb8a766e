using System.Text;
using Spectre.Console;

namespace Dstack.Cli.Terminal;

/// <summary>
/// Where a command writes. Injected so tests drive commands through a harness and read what they printed.
/// Text (tables too) goes to Out, raw job output (logs) to OutBytes, messages for the user to Error, progress bars
/// to Ansi. Out, OutBytes and Ansi all end on stdout: callers flush Out before writing bytes.
/// </summary>
public sealed class CliConsole
{
    public required TextWriter Out { get; init; }
    public required Stream OutBytes { get; init; }
    public required TextWriter Error { get; init; }
    /// <summary>Made on first use: setting Spectre up would otherwise cost every command at its start.</summary>
    public required Lazy<IAnsiConsole> Ansi { get; init; }
    /// <summary>True when stdout is a terminal: progress bars are drawn only then.</summary>
    public bool IsTerminal { get; init; }

    public static CliConsole ForProcess()
    {
        var stdout = Console.OpenStandardOutput();
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        var outWriter = new StreamWriter(stdout, utf8, 4096, leaveOpen: true) { AutoFlush = true };
        var errWriter = new StreamWriter(Console.OpenStandardError(), utf8, 1024, leaveOpen: true) { AutoFlush = true };
        var isTerminal = !Console.IsOutputRedirected;
        return new CliConsole
        {
            Out = outWriter,
            OutBytes = stdout,
            Error = errWriter,
            Ansi = new(() => CreateAnsi(outWriter, isTerminal)),
            IsTerminal = isTerminal,
        };
    }

    /// <summary>A Spectre console over a writer (progress bars). Off a terminal: no colours, no animation, never wrapped.</summary>
    public static IAnsiConsole CreateAnsi(TextWriter writer, bool isTerminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!isTerminal) console.Profile.Width = 4096;
        return console;
    }
}
