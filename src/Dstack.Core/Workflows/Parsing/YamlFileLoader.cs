using Dstack.Contracts.Runs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Dstack.Core.Workflows.Parsing;

/// <summary>Loads one file into YamlDotNet's node model (line and column on every node; no reflection, so Native AOT safe).</summary>
internal static class YamlFileLoader
{
    /// <summary>The file's top-level mapping; null (with an error recorded) when the file isn't one YAML mapping.</summary>
    public static YamlMappingNode? LoadRoot(WorkflowFileContent file, DiagnosticList diagnostics, string expectedShape)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(file.Content));
        }
        catch (YamlException e)
        {
            var message = (e.InnerException?.Message ?? e.Message).Trim().TrimEnd('.');
            diagnostics.Error(YamlNodes.Location(file.Path, e.Start), message.StartsWith("Duplicate key", StringComparison.Ordinal)
                ? $"invalid YAML: {message}: a key appears twice in the same mapping; keep only one of them."
                : $"invalid YAML: {message}. Fix the syntax here (indentation, a missing ':' or an unclosed quote or bracket are the usual causes).");
            return null;
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            diagnostics.Error(new SourceLocation(file.Path, 1, 1), $"the file is empty; it must hold {expectedShape}.");
            return null;
        }
        if (stream.Documents.Count > 1)
        {
            diagnostics.Error(YamlNodes.Location(file.Path, stream.Documents[1].RootNode), $"the file holds {stream.Documents.Count} YAML documents; keep only one (remove the '---' separators).");
            return null;
        }
        var root = stream.Documents[0].RootNode;
        if (root is YamlMappingNode mapping) return mapping;
        diagnostics.Error(YamlNodes.Location(file.Path, root), $"the file must hold {expectedShape}, not {YamlNodes.Describe(root)}.");
        return null;
    }
}
