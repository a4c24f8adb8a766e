using Dstack.Contracts.Runs;
using YamlDotNet.RepresentationModel;

namespace Dstack.Core.Workflows.Parsing;

/// <summary>
/// Reads `.dstack/variables.yaml`: `variables: {global: {name: value}, WORKFLOW: {name: value}}`. A value is its scalar's
/// text as written. Checks each name on its own; whether a section names a real workflow is checked with the whole set.
/// </summary>
internal sealed class VariablesReader(WorkflowFileContent file, DiagnosticList diagnostics)
{
    public const string GlobalSection = "global";
    private static readonly IReadOnlyList<string> RootKeys = ["variables"];

    public List<VariableSection> Sections { get; } = [];
    public List<VariableDefinition> Variables { get; } = [];

    public void Read()
    {
        var root = YamlFileLoader.LoadRoot(file, diagnostics, "'variables:' with a 'global:' section and/or one section per workflow");
        if (root is null) return;
        var globals = new List<VariableDefinition>();
        var own = new List<VariableDefinition>();
        foreach (var (_, _, value) in KeyCheck.Allowed(root, RootKeys, file.Path, file.Path, diagnostics))
        {
            if (value is YamlScalarNode { Value: null or "" }) continue;
            if (value is not YamlMappingNode sections)
            {
                diagnostics.Error(YamlNodes.Location(file.Path, value), $"'variables' must be a mapping of sections ('global:' and workflow names), not {YamlNodes.Describe(value)}.");
                continue;
            }
            foreach (var (sectionKey, sectionValue) in sections.Children)
            {
                var section = YamlNodes.Text(sectionKey);
                if (string.IsNullOrEmpty(section))
                {
                    diagnostics.Error(YamlNodes.Location(file.Path, sectionKey), $"a section of 'variables' is {YamlNodes.Describe(sectionKey)}; use 'global' or a workflow's name.");
                    continue;
                }
                Sections.Add(new VariableSection(section, YamlNodes.Location(file.Path, sectionKey)));
                var workflow = section == GlobalSection ? null : section;
                ReadSection(sectionValue, workflow, workflow is null ? globals : own);
            }
        }
        Variables.AddRange(globals);
        Variables.AddRange(own);
    }

    private void ReadSection(YamlNode value, string? workflow, List<VariableDefinition> into)
    {
        var where = workflow is null ? "'variables: global'" : $"'variables: {workflow}'";
        if (value is YamlScalarNode { Value: null or "" }) return;
        if (value is not YamlMappingNode mapping)
        {
            diagnostics.Error(YamlNodes.Location(file.Path, value), $"{where} must be a mapping of name: value, not {YamlNodes.Describe(value)}.");
            return;
        }
        foreach (var (keyNode, item) in mapping.Children)
        {
            var location = YamlNodes.Location(file.Path, keyNode);
            var name = YamlNodes.Text(keyNode);
            if (name is null || !RunOptionNames.IsValidOptionName(name))
            {
                diagnostics.Error(location, $"variable name '{name ?? YamlNodes.Describe(keyNode)}' in {where} is not valid: it becomes the option '--NAME' of 'dstack run', so it must match {RunOptionNames.NamePattern}.");
                continue;
            }
            if (RunOptionNames.IsReserved(name))
            {
                var option = name.Length == 1 ? $"-{name}" : $"--{name}";
                diagnostics.Error(location, $"variable '{name}' in {where} has the name of an option of 'dstack run' itself ({option}); rename the variable (taken names: {string.Join(", ", RunOptionNames.Reserved)}).");
                continue;
            }
            if (EnvironmentVariableName.IsVital(EnvironmentVariableName.Of(name)))
            {
                diagnostics.Error(location, $"variable '{name}' in {where} would be exported as {EnvironmentVariableName.Of(name)}, which the job's shell needs (PATH, HOME, LD_*...); rename the variable (e.g. '{name}_dir').");
                continue;
            }
            if (name == SystemVariables.VariablesAsArgs)
            {
                diagnostics.Error(location, $"variable '{name}' in {where} has the name of the system variable that expands to all variables as '--name value'; rename the variable.");
                continue;
            }
            if (item is not YamlScalarNode scalar)
            {
                diagnostics.Error(YamlNodes.Location(file.Path, item), $"variable '{name}' in {where} is {YamlNodes.Describe(item)}; a variable's value must be one piece of text (quote it if it contains ': ' or starts with '[' or '{{').");
                continue;
            }
            if (name is SystemVariables.RunName or SystemVariables.JobId)
            {
                var scope = workflow is null ? "every workflow" : $"workflow '{workflow}'";
                diagnostics.Warning(location, $"variable '{name}' in {where} shadows the system variable {name}: in {scope}, '${name}', '${{{{ {name} }}}}' and {EnvironmentVariableName.Of(name)} give '{scalar.Value}', not the {(name == SystemVariables.RunName ? "run's name" : "job's id")}. Rename the variable to use the system value.");
            }
            into.Add(new VariableDefinition(name, scalar.Value ?? "", workflow, location));
        }
    }
}
