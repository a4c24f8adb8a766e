namespace Dstack.Cli.Status;

/// <summary>Overridden variables as typed on the command line: `--model 117M --lr 0.1`.</summary>
public static class VariablesText
{
    public static string Format(IReadOnlyDictionary<string, string> variables) =>
        string.Join(' ', variables.Select(v => $"--{v.Key} {v.Value}"));
}
