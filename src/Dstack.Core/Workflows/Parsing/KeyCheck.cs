using YamlDotNet.RepresentationModel;

namespace Dstack.Core.Workflows.Parsing;

/// <summary>Refuses keys a mapping may not have, listing the allowed ones and suggesting the likely intended one.</summary>
internal static class KeyCheck
{
    /// <summary>Yields (key, value) for each allowed key; records an error for every other key.</summary>
    public static IEnumerable<(string Key, YamlScalarNode KeyNode, YamlNode Value)> Allowed(
        YamlMappingNode mapping, IReadOnlyList<string> allowed, string where, string file, DiagnosticList diagnostics)
    {
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } scalarKey)
            {
                diagnostics.Error(YamlNodes.Location(file, keyNode), $"a key of {where} is {YamlNodes.Describe(keyNode)}; keys must be plain names ({string.Join(", ", allowed)}).");
                continue;
            }
            if (!allowed.Contains(key, StringComparer.Ordinal))
            {
                diagnostics.Error(YamlNodes.Location(file, keyNode), UnknownKeyMessage(key, allowed, where));
                continue;
            }
            yield return (key, scalarKey, value);
        }
    }

    public static string UnknownKeyMessage(string key, IReadOnlyList<string> allowed, string where)
    {
        var normalized = Normalize(key);
        var likely = allowed.FirstOrDefault(a => Normalize(a) == normalized);
        var hint = likely is null ? "" : $" Did you mean '{likely}'?";
        return $"unknown key '{key}' in {where}; allowed keys: {string.Join(", ", allowed)}.{hint}";
    }

    // `working-dir`, `Working_Dir` and `depends_on` are the usual slips.
    private static string Normalize(string key) => key.Replace('-', '_').ToLowerInvariant();
}
