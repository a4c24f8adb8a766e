using System.Text.RegularExpressions;

namespace Dstack.Core.Workflows;

/// <summary>
/// Names that `dstack run` gives meaning to itself. Variables become options of `dstack run WORKFLOW`
/// (`--batch-size 64`), so a variable may not take one of these names, and its name must be spellable as an option.
/// The parser and the CLI both read this one list.
/// </summary>
public static partial class RunOptionNames
{
    /// <summary>`dstack run`'s own options, without dashes (`h` is `-h`, `help` is `--help`).</summary>
    public static readonly IReadOnlyList<string> Reserved = ["help", "h", "follow", "f", "no-cache", "dry-run", "version", "detach"];

    /// <summary>What a variable name must look like, written for error messages.</summary>
    public const string NamePattern = "[A-Za-z0-9][A-Za-z0-9_.-]*";

    public static bool IsReserved(string name) => Reserved.Contains(name, StringComparer.Ordinal);

    /// <summary>True when the name can be written as `--name` on a command line.</summary>
    public static bool IsValidOptionName(string name) => OptionName().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex OptionName();
}
