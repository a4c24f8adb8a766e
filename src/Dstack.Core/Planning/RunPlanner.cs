using Dstack.Core.Caching;
using Dstack.Core.Workflows;

namespace Dstack.Core.Planning;

/// <summary>Turns `dstack run WORKFLOW --var value` into jobs: one per workflow of the dependency closure.</summary>
public static class RunPlanner
{
    /// <summary>
    /// Throws <see cref="PlanningException"/> for an unknown workflow or an override of a variable that no workflow of the closure has.
    /// newJobId is called once per job (tests pass a deterministic one).
    /// <para>
    /// An override applies to every job whose workflow sees that variable (global or its own). Each job's texts
    /// (commands, artifacts, environment values, working_dir, image, resources) are substituted with its variables,
    /// run_name = runName and job_id = the job's id, unless the workflow defines a variable of that name
    /// (see <see cref="WorkflowSetParser"/>). Tagged dependencies (`name:tag`) are not planned as jobs.
    /// </para>
    /// </summary>
    public static RunPlan Plan(WorkflowSet set, string workflow, IReadOnlyDictionary<string, string> overrides, string runName, Func<string> newJobId)
    {
        if (set.Find(workflow) is null)
        {
            var names = set.Workflows.Count == 0 ? "none are defined" : string.Join(", ", set.Workflows.Select(w => w.Name));
            throw new PlanningException($"unknown workflow '{workflow}'; the workflows are: {names}.");
        }
        var closure = set.Closure(workflow);
        CheckOverrides(set, workflow, overrides);

        var jobIds = closure.ToDictionary(w => w.Name, _ => newJobId(), StringComparer.Ordinal);
        var jobs = closure.Select(w => PlanJob(set, w, overrides, runName, jobIds)).ToList();
        return new RunPlan(runName, workflow, jobs);
    }

    private static void CheckOverrides(WorkflowSet set, string workflow, IReadOnlyDictionary<string, string> overrides)
    {
        var known = set.OptionsOf(workflow).Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = overrides.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count == 0) return;
        var list = known.Count == 0 ? "it has none" : "its variables are: " + string.Join(", ", set.OptionsOf(workflow).Select(v => v.Name));
        var names = string.Join(", ", unknown.Select(u => $"'{u}'"));
        throw new PlanningException($"unknown variable {names} for workflow '{workflow}' (no workflow of the run defines it); {list}. Define it in {WorkflowFilePaths.VariablesFile} or fix the option's name.");
    }

    private static PlannedJob PlanJob(WorkflowSet set, Workflow w, IReadOnlyDictionary<string, string> overrides, string runName, Dictionary<string, string> jobIds)
    {
        var jobId = jobIds[w.Name];
        var variables = new List<KeyValuePair<string, string>>();
        var overridden = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in set.VariablesOf(w.Name))
        {
            if (overrides.TryGetValue(v.Name, out var value)) overridden[v.Name] = value;
            else value = v.Value;
            variables.Add(new KeyValuePair<string, string>(v.Name, value));
        }
        var substitution = new VariableSubstitution(variables, runName, jobId);

        var workingDir = substitution.Apply(w.WorkingDir ?? ".");
        CheckPath(w, "working_dir", w.WorkingDir ?? ".", workingDir);
        var artifacts = new List<string>();
        foreach (var artifact in w.Artifacts)
        {
            var path = substitution.Apply(artifact);
            CheckPath(w, "artifact path", artifact, path);
            artifacts.Add(path);
        }

        return new PlannedJob
        {
            JobId = jobId,
            Workflow = w.Name,
            DependsOnJobIds = w.DependsOn.Where(d => d.Tag is null).Select(d => jobIds[d.Workflow]).Distinct().ToList(),
            TagDependencies = w.DependsOn.Where(d => d.Tag is not null).ToList(),
            Variables = variables,
            OverriddenVariables = overridden,
            Commands = w.Commands.Select(substitution.Apply).ToList(),
            WorkingDir = workingDir,
            Environment = JobEnvironment.Build(w, variables, substitution),
            Artifacts = artifacts,
            Image = w.Image is null ? null : substitution.Apply(w.Image),
            Resources = w.Resources is null ? null : Substitute(w.Resources, substitution),
            RepoIncludes = w.RepoIncludes,
            KeyDefinition = KeyDefinition(w, variables),
            CheckpointIntervalSeconds = w.CheckpointIntervalSeconds ?? CheckpointInterval.DefaultSeconds,
        };
    }

    /// <summary>
    /// The definition with the system variables run_name and job_id substituted by their own `${{ name }}` form, so
    /// two runs of the same work hash alike (a workflow variable of that name is a real variable and is substituted).
    /// </summary>
    private static JobDefinition KeyDefinition(Workflow w, IReadOnlyList<KeyValuePair<string, string>> variables)
    {
        var substitution = new VariableSubstitution(variables, "${{ " + SystemVariables.RunName + " }}", "${{ " + SystemVariables.JobId + " }}");
        return new JobDefinition
        {
            Commands = w.Commands.Select(substitution.Apply).ToList(),
            Image = w.Image is null ? null : substitution.Apply(w.Image),
            Environment = JobEnvironment.Build(w, variables, substitution),
            WorkingDir = substitution.Apply(w.WorkingDir ?? "."),
            Artifacts = w.Artifacts.Select(substitution.Apply).ToList(),
            Resources = w.Resources is null ? null : Substitute(w.Resources, substitution),
        };
    }

    private static void CheckPath(Workflow w, string what, string written, string substituted)
    {
        var problem = RelativePathRule.Problem(substituted);
        if (problem is null) return;
        var shown = written == substituted ? $"'{written}'" : $"'{written}' (here '{substituted}')";
        throw new PlanningException($"{what} {shown} of workflow '{w.Name}' {problem} once its variables are substituted; it must stay inside the working directory. Change the variable's value.");
    }

    private static WorkflowResources Substitute(WorkflowResources r, VariableSubstitution s)
    {
        return new WorkflowResources
        {
            Cpu = Apply(r.Cpu),
            Memory = Apply(r.Memory),
            GpuCount = Apply(r.GpuCount),
            GpuName = Apply(r.GpuName),
            GpuMemory = Apply(r.GpuMemory),
            Interruptible = Apply(r.Interruptible),
        };

        string? Apply(string? text) => text is null ? null : s.Apply(text);
    }
}
