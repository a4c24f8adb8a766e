using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Dstack.Core.Workflows.Parsing;

/// <summary>Reads one entry of a `workflows:` list, recording every problem of its shape and going on past them.</summary>
internal sealed partial class WorkflowReader(string file, DiagnosticList diagnostics)
{
    public static readonly IReadOnlyList<string> Keys = ["name", "commands", "artifacts", "depends-on", "working_dir", "environment", "resources", "image", "checkpoint_interval"];

    /// <summary>Null when the entry has no usable name; its other problems are still recorded.</summary>
    public ParsedWorkflow? Read(YamlNode node, int index)
    {
        if (node is not YamlMappingNode mapping)
        {
            diagnostics.Error(YamlNodes.Location(file, node), $"entry {index + 1} of 'workflows' is {YamlNodes.Describe(node)}; each workflow is a mapping with at least 'name' and 'commands'.");
            return null;
        }

        var name = ReadName(mapping, index);
        var where = name is null ? $"workflow {index + 1} of {file}" : $"workflow '{name}'";
        var texts = new List<LocatedText>();
        var paths = new List<LocatedText>();
        IReadOnlyList<string>? commands = null;
        var hasCommands = false;
        IReadOnlyList<string> artifacts = [];
        var dependsOn = new ParsedDependsOn([], []);
        string? workingDir = null;
        string? image = null;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        WorkflowResources? resources = null;
        int? checkpointInterval = null;

        foreach (var (key, keyNode, value) in KeyCheck.Allowed(mapping, Keys, where, file, diagnostics))
        {
            switch (key)
            {
                case "commands":
                    hasCommands = true;
                    commands = ReadCommands(value, where, texts);
                    if (value is YamlSequenceNode { Children.Count: 0 }) diagnostics.Error(YamlNodes.Location(file, keyNode), $"{where} has an empty 'commands' list; add at least one shell command.");
                    break;
                case "artifacts":
                    artifacts = ReadArtifacts(value, where, texts, paths);
                    break;
                case "depends-on":
                    dependsOn = new DependsOnReader(file, diagnostics).Read(value, where);
                    break;
                case "working_dir":
                    var dir = ReadNonEmptyScalar(value, "working_dir", where, "a folder relative to the repository root, e.g. 'working_dir: src'");
                    if (dir is not null)
                    {
                        workingDir = dir.Value;
                        texts.Add(new LocatedText("working_dir", file, dir));
                        paths.Add(new LocatedText("working_dir", file, dir));
                    }
                    break;
                case "image":
                    var imageNode = ReadNonEmptyScalar(value, "image", where, "a container image name, e.g. 'image: python:3.11'");
                    if (imageNode is not null)
                    {
                        image = imageNode.Value;
                        texts.Add(new LocatedText("image", file, imageNode));
                    }
                    break;
                case "environment":
                    ReadEnvironment(value, where, environment, texts);
                    break;
                case "resources":
                    resources = new ResourcesReader(file, diagnostics).Read(value, where, texts);
                    break;
                case "checkpoint_interval":
                    checkpointInterval = ReadCheckpointInterval(value, where);
                    break;
            }
        }

        if (!hasCommands && name is not null)
            diagnostics.Error(YamlNodes.Location(file, mapping), $"{where} has no 'commands'; add 'commands:' with a list of shell commands, one per '- ' line.");
        if (name is null) return null;

        var workflow = new Workflow
        {
            Name = name,
            Commands = commands ?? [],
            Artifacts = artifacts,
            DependsOn = dependsOn.Dependencies,
            RepoIncludes = dependsOn.RepoIncludes,
            WorkingDir = workingDir,
            Environment = environment,
            Resources = resources,
            Image = image,
            CheckpointIntervalSeconds = checkpointInterval,
            Location = YamlNodes.Location(file, mapping),
        };
        return new ParsedWorkflow(workflow, texts, paths);
    }

    private string? ReadName(YamlMappingNode mapping, int index)
    {
        var entry = mapping.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "name" });
        if (entry.Key is null)
        {
            diagnostics.Error(YamlNodes.Location(file, mapping), $"workflow {index + 1} of {file} has no 'name'; add 'name: my-workflow' (the name you pass to 'dstack run').");
            return null;
        }
        var text = YamlNodes.Text(entry.Value);
        if (string.IsNullOrWhiteSpace(text))
        {
            diagnostics.Error(YamlNodes.Location(file, entry.Value), $"the 'name' of workflow {index + 1} of {file} is {YamlNodes.Describe(entry.Value)}; write a name such as 'name: train'.");
            return null;
        }
        if (text == VariablesReader.GlobalSection)
        {
            diagnostics.Error(YamlNodes.Location(file, entry.Value), $"a workflow can't be named '{text}': 'variables: {text}' holds the variables every workflow sees. Rename the workflow.");
            return text;
        }
        if (!WorkflowName().IsMatch(text))
        {
            diagnostics.Error(YamlNodes.Location(file, entry.Value), $"workflow name '{text}' is not valid: it must match {WorkflowNamePattern} (letters, digits, '_', '.', '-'; no spaces or ':', which marks a tag in depends-on).");
        }
        return text;
    }

    private IReadOnlyList<string>? ReadCommands(YamlNode value, string where, List<LocatedText> texts)
    {
        if (value is not YamlSequenceNode sequence)
        {
            diagnostics.Error(YamlNodes.Location(file, value), $"'commands' of {where} must be a list, not {YamlNodes.Describe(value)}; write each command on its own line starting with '- '.");
            return null;
        }
        var commands = new List<string>();
        foreach (var item in sequence.Children)
        {
            if (item is YamlScalarNode scalar)
            {
                commands.Add(scalar.Value ?? "");
                texts.Add(new LocatedText("commands", file, scalar));
                continue;
            }
            var why = item is YamlMappingNode ? " (YAML reads 'text: more' as a mapping; put the whole command in quotes)" : "";
            diagnostics.Error(YamlNodes.Location(file, item), $"a command of {where} is {YamlNodes.Describe(item)}; each command must be one line of text{why}.");
        }
        return commands;
    }

    private IReadOnlyList<string> ReadArtifacts(YamlNode value, string where, List<LocatedText> texts, List<LocatedText> paths)
    {
        if (value is YamlScalarNode { Value: null or "" }) return [];
        if (value is not YamlSequenceNode sequence)
        {
            diagnostics.Error(YamlNodes.Location(file, value), $"'artifacts' of {where} must be a list of paths, not {YamlNodes.Describe(value)}; write each path on its own line starting with '- '.");
            return [];
        }
        var artifacts = new List<string>();
        foreach (var item in sequence.Children)
        {
            if (item is not YamlScalarNode scalar)
            {
                diagnostics.Error(YamlNodes.Location(file, item), $"an artifact of {where} is {YamlNodes.Describe(item)}; each artifact is a path relative to the working directory.");
                continue;
            }
            artifacts.Add(scalar.Value ?? "");
            texts.Add(new LocatedText("artifacts", file, scalar));
            paths.Add(new LocatedText("artifacts", file, scalar));
        }
        return artifacts;
    }

    private void ReadEnvironment(YamlNode value, string where, Dictionary<string, string> environment, List<LocatedText> texts)
    {
        if (value is YamlScalarNode { Value: null or "" }) return;
        if (value is not YamlMappingNode mapping)
        {
            diagnostics.Error(YamlNodes.Location(file, value), $"'environment' of {where} must be a mapping of NAME: value, not {YamlNodes.Describe(value)}.");
            return;
        }
        foreach (var (keyNode, item) in mapping.Children)
        {
            var key = YamlNodes.Text(keyNode);
            if (key is null || !EnvironmentName().IsMatch(key))
            {
                diagnostics.Error(YamlNodes.Location(file, keyNode), $"'{key ?? YamlNodes.Describe(keyNode)}' in 'environment' of {where} is not a valid environment variable name; use letters, digits and '_', not starting with a digit.");
                continue;
            }
            if (item is not YamlScalarNode scalar)
            {
                diagnostics.Error(YamlNodes.Location(file, item), $"environment variable '{key}' of {where} is {YamlNodes.Describe(item)}; its value must be one piece of text.");
                continue;
            }
            environment[key] = scalar.Value ?? "";
            texts.Add(new LocatedText($"environment.{key}", file, scalar));
        }
    }

    // A literal only: the interval is the runner's schedule, not part of the job's work, so variables have no business here.
    private int? ReadCheckpointInterval(YamlNode value, string where)
    {
        const string howToFix = "write a whole number of seconds ('checkpoint_interval: 90') or a duration ('30s', '5m', '1h'); 0 turns checkpoints off";
        if (value is not YamlScalarNode { Value: { Length: > 0 } text } scalar)
        {
            diagnostics.Error(YamlNodes.Location(file, value), $"'checkpoint_interval' of {where} is {YamlNodes.Describe(value)}; {howToFix}.");
            return null;
        }
        if (text.Contains('$', StringComparison.Ordinal))
        {
            diagnostics.Error(YamlNodes.Location(file, scalar), $"'checkpoint_interval' of {where} is '{text}': variables are not allowed in 'checkpoint_interval'; {howToFix}.");
            return null;
        }
        var seconds = CheckpointInterval.ParseSeconds(text);
        if (seconds is null)
            diagnostics.Error(YamlNodes.Location(file, scalar), $"'checkpoint_interval' of {where} is '{text}', which is not a duration; {howToFix}.");
        return seconds;
    }

    private YamlScalarNode? ReadNonEmptyScalar(YamlNode value, string key, string where, string example)
    {
        if (value is YamlScalarNode { Value: { Length: > 0 } } scalar) return scalar;
        diagnostics.Error(YamlNodes.Location(file, value), $"'{key}' of {where} is {YamlNodes.Describe(value)}; it must be {example}.");
        return null;
    }

    public const string WorkflowNamePattern = "[A-Za-z0-9][A-Za-z0-9_.-]*";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex WorkflowName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvironmentName();
}
