namespace Dstack.Core.Workflows;

/// <summary>
/// Variables every workflow sees without defining them. A user variable named <see cref="RunName"/> or
/// <see cref="JobId"/> takes precedence over the system one (with a warning from the parser);
/// one named <see cref="VariablesAsArgs"/> is refused.
/// </summary>
public static class SystemVariables
{
    /// <summary>The run's name (`fast-rabbit-1`).</summary>
    public const string RunName = "run_name";

    /// <summary>The job's id (12 hex characters).</summary>
    public const string JobId = "job_id";

    /// <summary>Every variable of the workflow as `--name value`, shell-quoted where needed.</summary>
    public const string VariablesAsArgs = "variables_as_args";

    public static readonly IReadOnlyList<string> All = [RunName, JobId, VariablesAsArgs];

    public static bool IsSystem(string name) => All.Contains(name, StringComparer.Ordinal);
}
