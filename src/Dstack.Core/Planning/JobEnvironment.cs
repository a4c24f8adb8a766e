using Dstack.Core.Workflows;

namespace Dstack.Core.Planning;

/// <summary>
/// A job's environment, later entries winning: RUN_NAME and JOB_ID, then every variable upper-cased
/// (`batch-size` -> BATCH_SIZE; a user variable run_name therefore wins over the run's name, as in substitution),
/// then the workflow's own `environment` entries, substituted.
/// </summary>
public static class JobEnvironment
{
    public static IReadOnlyDictionary<string, string> Build(Workflow workflow, IReadOnlyList<KeyValuePair<string, string>> variables, VariableSubstitution substitution)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [EnvironmentVariableName.Of(SystemVariables.RunName)] = substitution.Values[SystemVariables.RunName],
            [EnvironmentVariableName.Of(SystemVariables.JobId)] = substitution.Values[SystemVariables.JobId],
        };
        foreach (var (name, value) in variables) environment[EnvironmentVariableName.Of(name)] = value;
        foreach (var (name, value) in workflow.Environment) environment[name] = substitution.Apply(value);
        return environment;
    }
}
