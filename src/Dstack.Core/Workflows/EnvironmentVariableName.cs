namespace Dstack.Core.Workflows;

/// <summary>How a workflow variable is exported to a job's environment: upper case, non-alphanumerics as `_`.</summary>
public static class EnvironmentVariableName
{
    private static readonly string[] Vital = ["PATH", "HOME", "SHELL", "IFS", "USER", "PWD", "TMPDIR", "BASH_ENV", "ENV", "DSTACK_JOB_ID"];

    /// <summary>
    /// True for the environment variables a job's shell and programs depend on: a variable exported over one of them
    /// (`path: data/x` becomes PATH) would break every command of the job, so such a name is refused.
    /// </summary>
    public static bool IsVital(string exported) =>
        Vital.Contains(exported, StringComparer.Ordinal) || exported.StartsWith("LD_", StringComparison.Ordinal);

    /// <summary>`batch-size` -> `BATCH_SIZE`, `lr` -> `LR`.</summary>
    public static string Of(string variable) =>
        string.Create(variable.Length, variable, static (span, name) =>
        {
            for (var i = 0; i < name.Length; i++)
            {
                var c = name[i];
                span[i] = char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_';
            }
        });
}
