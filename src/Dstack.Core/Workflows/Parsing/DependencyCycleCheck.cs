namespace Dstack.Core.Workflows.Parsing;

/// <summary>Finds every `depends-on` cycle and names it (`a -> b -> a`), reported at the dependency that closes it.</summary>
internal static class DependencyCycleCheck
{
    public static void Run(IReadOnlyDictionary<string, Workflow> byName, DiagnosticList diagnostics)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        var onPath = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in byName.Keys) Visit(name);

        void Visit(string name)
        {
            if (done.Contains(name)) return;
            path.Add(name);
            onPath.Add(name);
            foreach (var dependency in byName[name].DependsOn.Where(d => d.Tag is null && byName.ContainsKey(d.Workflow)))
            {
                if (onPath.Contains(dependency.Workflow))
                {
                    var cycle = path.Skip(path.IndexOf(dependency.Workflow)).Append(dependency.Workflow);
                    diagnostics.Error(dependency.Location, $"dependency cycle: {string.Join(" -> ", cycle)}; a workflow can't depend, directly or through others, on itself. Remove one of these depends-on entries.");
                    continue;
                }
                Visit(dependency.Workflow);
            }
            path.RemoveAt(path.Count - 1);
            onPath.Remove(name);
            done.Add(name);
        }
    }
}
