using YamlDotNet.RepresentationModel;

namespace Dstack.Core.Workflows.Parsing;

/// <summary>
/// Reads `depends-on` in its two forms: a list of workflow names (`name`, or `name:tag` for a tagged run's artifacts),
/// or early dstack's object `{repo: {include: [paths]}, workflows: [names]}`.
/// </summary>
internal sealed class DependsOnReader(string file, DiagnosticList diagnostics)
{
    private static readonly IReadOnlyList<string> ObjectKeys = ["repo", "workflows"];
    private static readonly IReadOnlyList<string> RepoKeys = ["include"];

    public ParsedDependsOn Read(YamlNode value, string where)
    {
        switch (value)
        {
            case YamlScalarNode { Value: null or "" }:
                return new ParsedDependsOn([], []);
            case YamlSequenceNode sequence:
                return new ParsedDependsOn(ReadNames(sequence, where), []);
            case YamlMappingNode mapping:
                return ReadObject(mapping, where);
            default:
                diagnostics.Error(YamlNodes.Location(file, value), $"'depends-on' of {where} is {YamlNodes.Describe(value)}; write a list of workflow names ('- other-workflow', '- other-workflow:tag') or the form 'repo: {{include: [paths]}}' with 'workflows: [names]'.");
                return new ParsedDependsOn([], []);
        }
    }

    private ParsedDependsOn ReadObject(YamlMappingNode mapping, string where)
    {
        IReadOnlyList<WorkflowDependency> dependencies = [];
        var includes = new List<string>();
        foreach (var (key, _, value) in KeyCheck.Allowed(mapping, ObjectKeys, $"'depends-on' of {where}", file, diagnostics))
        {
            if (key == "workflows")
            {
                if (value is YamlSequenceNode names) dependencies = ReadNames(names, where);
                else if (value is not YamlScalarNode { Value: null or "" })
                    diagnostics.Error(YamlNodes.Location(file, value), $"'depends-on: workflows' of {where} must be a list of workflow names, not {YamlNodes.Describe(value)}.");
                continue;
            }
            if (value is not YamlMappingNode repo)
            {
                diagnostics.Error(YamlNodes.Location(file, value), $"'depends-on: repo' of {where} must be a mapping with 'include: [paths]', not {YamlNodes.Describe(value)}.");
                continue;
            }
            foreach (var (_, _, include) in KeyCheck.Allowed(repo, RepoKeys, $"'depends-on: repo' of {where}", file, diagnostics))
            {
                if (include is not YamlSequenceNode paths)
                {
                    diagnostics.Error(YamlNodes.Location(file, include), $"'depends-on: repo: include' of {where} must be a list of paths in the repository, not {YamlNodes.Describe(include)}.");
                    continue;
                }
                foreach (var item in paths.Children)
                {
                    var path = YamlNodes.Text(item);
                    var problem = path is null ? $"is {YamlNodes.Describe(item)}" : RelativePathRule.Problem(path);
                    if (problem is not null)
                    {
                        diagnostics.Error(YamlNodes.Location(file, item), $"include path '{path}' of {where} {problem}; write a path relative to the repository root.");
                        continue;
                    }
                    includes.Add(path!);
                }
            }
        }
        return new ParsedDependsOn(dependencies, includes);
    }

    private List<WorkflowDependency> ReadNames(YamlSequenceNode sequence, string where)
    {
        var dependencies = new List<WorkflowDependency>();
        foreach (var item in sequence.Children)
        {
            var text = YamlNodes.Text(item);
            var location = YamlNodes.Location(file, item);
            if (string.IsNullOrWhiteSpace(text))
            {
                diagnostics.Error(location, $"an entry of 'depends-on' of {where} is {YamlNodes.Describe(item)}; write a workflow name, or 'name:tag' for the artifacts of a tagged run.");
                continue;
            }
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                dependencies.Add(new WorkflowDependency(text, null, location));
                continue;
            }
            var name = text[..colon];
            var tag = text[(colon + 1)..];
            if (name.Length == 0 || tag.Length == 0 || tag.Contains(':', StringComparison.Ordinal))
            {
                diagnostics.Error(location, $"'depends-on' entry '{text}' of {where} is not 'name' nor 'name:tag'.");
                continue;
            }
            dependencies.Add(new WorkflowDependency(name, tag, location));
        }
        return dependencies;
    }
}
