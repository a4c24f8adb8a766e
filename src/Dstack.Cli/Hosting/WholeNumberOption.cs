using System.CommandLine;
using System.Globalization;

namespace Dstack.Cli.Hosting;

/// <summary>An optional whole-number option whose parse error names the option and the value in plain words.</summary>
public static class WholeNumberOption
{
    public static Option<int?> Create(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)) return value;
            result.AddError($"{name} '{text}' is not a whole number");
            return null;
        },
    };
}
