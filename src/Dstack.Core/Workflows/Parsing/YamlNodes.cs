using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Dstack.Core.Workflows.Parsing;

/// <summary>Small readers over YamlDotNet nodes, shared by the workflow and variable readers.</summary>
internal static class YamlNodes
{
    public static SourceLocation Location(string file, Mark mark) =>
        new(file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    public static SourceLocation Location(string file, YamlNode node) => Location(file, node.Start);

    /// <summary>"a list", "a mapping", "the text 'x'" — for messages saying what was found instead.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping (key: value)",
        YamlScalarNode { Value: null or "" } => "nothing",
        YamlScalarNode s => $"the text '{s.Value}'",
        _ => "something else",
    };

    /// <summary>The scalar's text exactly as written (`0.00002`, `None`, `0.0`), or null when the node is not a scalar.</summary>
    public static string? Text(YamlNode node) => node is YamlScalarNode scalar ? scalar.Value ?? "" : null;

    /// <summary>
    /// Where the character at offset of a scalar's text is in the file: exact for a plain scalar on one line (what
    /// people write for commands), else the scalar's start.
    /// </summary>
    public static SourceLocation LocationInScalar(string file, YamlScalarNode scalar, int offset)
    {
        var start = Location(file, scalar);
        var value = scalar.Value ?? "";
        if (scalar.Style == ScalarStyle.Plain && !value.Contains('\n') && scalar.Start.Line == scalar.End.Line)
            return start with { Column = start.Column + offset };
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted && !value.Contains('\n') && !value.Contains('\\') && !value.Contains('\'') && scalar.Start.Line == scalar.End.Line)
            return start with { Column = start.Column + 1 + offset };
        return start;
    }
}
