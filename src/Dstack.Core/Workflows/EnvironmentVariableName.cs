namespace Dstack.Core.Workflows;

/// <summary>How a workflow variable is exported to a job's environment: upper case, non-alphanumerics as `_`.</summary>
public static class EnvironmentVariableName
{
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
