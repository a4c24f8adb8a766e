using YamlDotNet.RepresentationModel;

namespace Dstack.Core.Workflows.Parsing;

/// <summary>A text of a workflow that variables may appear in, kept with its node so errors point at the exact place.</summary>
internal sealed record LocatedText(string Field, string File, YamlScalarNode Node)
{
    public string Text => Node.Value ?? "";

    public SourceLocation Location => YamlNodes.Location(File, Node);

    public SourceLocation LocationAt(int offset) => YamlNodes.LocationInScalar(File, Node, offset);
}
