namespace Dstack.Core.Workflows;

/// <summary>The parsed and validated contents of a repository's `.dstack/` folder.</summary>
public sealed class WorkflowSet
{
    public WorkflowSet(IReadOnlyList<Workflow> workflows, IReadOnlyList<VariableDefinition> variables, IReadOnlyList<WorkflowDiagnostic> warnings)
    {
        Workflows = workflows;
        Variables = variables;
        Warnings = warnings;
        // The first of a name, as a search in file order would find (the checks refuse duplicates anyway).
        foreach (var workflow in workflows) _byName.TryAdd(workflow.Name, workflow);
    }

    private readonly Dictionary<string, Workflow> _byName = new(StringComparer.Ordinal);

    /// <summary>In file order.</summary>
    public IReadOnlyList<Workflow> Workflows { get; }

    /// <summary>Every variable definition, global ones first, in file order.</summary>
    public IReadOnlyList<VariableDefinition> Variables { get; }

    /// <summary>Things that are allowed but worth telling the user (e.g. a variable shadowing a system variable).</summary>
    public IReadOnlyList<WorkflowDiagnostic> Warnings { get; }

    public Workflow? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The variables a workflow sees: the global ones, then its own (its own win on a name clash), in file order.</summary>
    public IReadOnlyList<VariableDefinition> VariablesOf(string workflow)
    {
        var result = new List<VariableDefinition>();
        foreach (var v in Variables.Where(v => v.IsGlobal))
        {
            if (!Variables.Any(o => o.Workflow == workflow && o.Name == v.Name)) result.Add(v);
        }
        result.AddRange(Variables.Where(v => v.Workflow == workflow));
        return result;
    }

    /// <summary>
    /// Workflows that run for `dstack run workflow`: the workflow and the closure of its (untagged) dependencies,
    /// every dependency before its dependents. Assumes a validated set (no cycles, no unknown names).
    /// </summary>
    public IReadOnlyList<Workflow> Closure(string workflow)
    {
        var ordered = new List<Workflow>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Visit(workflow);
        return ordered;

        void Visit(string name)
        {
            if (!seen.Add(name)) return;
            var w = Find(name) ?? throw new ArgumentException($"unknown workflow '{name}'", nameof(workflow));
            foreach (var dep in w.DependsOn.Where(d => d.Tag is null)) Visit(dep.Workflow);
            ordered.Add(w);
        }
    }

    /// <summary>
    /// The variables `dstack run workflow --help` lists as options: the global ones, those of the workflow and those of
    /// every workflow it depends on, each name once (the first definition in closure order gives the default shown).
    /// </summary>
    public IReadOnlyList<VariableDefinition> OptionsOf(string workflow)
    {
        var result = new List<VariableDefinition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in Variables.Where(v => v.IsGlobal))
        {
            if (names.Add(v.Name)) result.Add(v);
        }
        var closure = Closure(workflow);
        // The requested workflow's own variables first, then its dependencies', so its defaults are the ones shown.
        foreach (var w in closure.Reverse())
        {
            foreach (var v in Variables.Where(v => v.Workflow == w.Name))
            {
                if (names.Add(v.Name)) result.Add(v);
            }
        }
        return result;
    }
}
