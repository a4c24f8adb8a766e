namespace Dstack.Core.Workflows.Parsing;

/// <summary>The checks that need every file read: names, dependencies, variable sections, variable references and paths.</summary>
internal static class WorkflowSetChecks
{
    /// <summary>Returns the workflows to keep: the first of each name.</summary>
    public static Dictionary<string, ParsedWorkflow> Run(
        IReadOnlyList<ParsedWorkflow> workflows, IReadOnlyList<VariableDefinition> variables, IReadOnlyList<VariableSection> sections, DiagnosticList diagnostics)
    {
        var byName = new Dictionary<string, ParsedWorkflow>(StringComparer.Ordinal);
        foreach (var parsed in workflows)
        {
            var w = parsed.Workflow;
            if (byName.TryGetValue(w.Name, out var first))
            {
                diagnostics.Error(w.Location, $"workflow '{w.Name}' is defined twice; the first is at {first.Workflow.Location}. Rename or remove one of them.");
                continue;
            }
            byName[w.Name] = parsed;
        }
        var names = string.Join(", ", byName.Keys);

        foreach (var w in byName.Values.Select(p => p.Workflow))
        {
            foreach (var dependency in w.DependsOn.Where(d => d.Tag is null && !byName.ContainsKey(d.Workflow)))
                diagnostics.Error(dependency.Location, $"workflow '{w.Name}' depends on '{dependency.Workflow}', which is not defined; the workflows are: {names}. Fix the name, or write 'name:tag' to use a tagged run's artifacts.");
        }
        DependencyCycleCheck.Run(byName.ToDictionary(p => p.Key, p => p.Value.Workflow, StringComparer.Ordinal), diagnostics);

        foreach (var section in sections.Where(s => s.Name != VariablesReader.GlobalSection && !byName.ContainsKey(s.Name)))
            diagnostics.Error(section.Location, $"'variables: {section.Name}' names no workflow; use 'global' or one of the workflows: {names}.");

        var warned = new HashSet<SourceLocation>();
        foreach (var parsed in byName.Values)
        {
            CheckReferences(parsed, variables, diagnostics);
            CheckPaths(parsed, diagnostics);
            CheckExportedNames(parsed.Workflow.Name, variables, warned, diagnostics);
        }
        return byName;
    }

    // `batch-size` and `batch_size` are two options but one environment variable; say which value the job gets.
    private static void CheckExportedNames(string workflow, IReadOnlyList<VariableDefinition> variables, HashSet<SourceLocation> warned, DiagnosticList diagnostics)
    {
        var seen = variables.Where(v => v.IsGlobal && !variables.Any(o => o.Workflow == workflow && o.Name == v.Name)).Concat(variables.Where(v => v.Workflow == workflow));
        foreach (var group in seen.GroupBy(v => EnvironmentVariableName.Of(v.Name)).Where(g => g.Count() > 1))
        {
            var last = group.Last();
            if (!warned.Add(last.Location)) continue;
            var names = string.Join(" and ", group.Select(v => $"'{v.Name}'"));
            diagnostics.Warning(last.Location, $"variables {names} of workflow '{workflow}' are all exported as the environment variable {group.Key}; it holds the value of '{last.Name}'. Rename one to keep both.");
        }
    }

    private static void CheckReferences(ParsedWorkflow parsed, IReadOnlyList<VariableDefinition> variables, DiagnosticList diagnostics)
    {
        var name = parsed.Workflow.Name;
        var defined = variables.Where(v => v.IsGlobal || v.Workflow == name).Select(v => v.Name).Concat(SystemVariables.All).ToHashSet(StringComparer.Ordinal);
        foreach (var text in parsed.Texts)
        {
            foreach (var reference in VariableSubstitution.FindReferences(text.Text).Where(r => r.IsExplicit))
            {
                if (reference.IsMalformed)
                {
                    diagnostics.Error(text.LocationAt(reference.Index), $"'${{{{' in {text.Field} of workflow '{name}' does not close as '${{{{ name }}}}'; write a variable as '${{{{ name }}}}' with a name made of letters, digits, '_', '.' and '-'.");
                    continue;
                }
                if (defined.Contains(reference.Name)) continue;
                var known = string.Join(", ", defined.Order(StringComparer.Ordinal));
                diagnostics.Error(text.LocationAt(reference.Index), $"undefined variable '{reference.Name}' in {text.Field} of workflow '{name}'; define it in {WorkflowFilePaths.VariablesFile} under 'global:' or '{name}:' (this workflow sees: {known}).");
            }
        }
    }

    private static void CheckPaths(ParsedWorkflow parsed, DiagnosticList diagnostics)
    {
        foreach (var path in parsed.Paths)
        {
            var problem = RelativePathRule.Problem(path.Text);
            if (problem is null) continue;
            var what = path.Field == "working_dir" ? "working_dir" : "artifact path";
            diagnostics.Error(path.Location, $"{what} '{path.Text}' of workflow '{parsed.Workflow.Name}' {problem}; write a path relative to {(what == "working_dir" ? "the repository root" : "the working directory")}, inside it.");
        }
    }
}
