using System.Text;
using System.Text.RegularExpressions;

namespace Dstack.Core.Workflows;

/// <summary>
/// Replaces variables in a workflow's texts. Two forms:
/// <list type="bullet">
/// <item>`${{ name }}` (spaces optional): name must be a variable the workflow sees or a system variable
/// (the parser refuses any other name before a run is planned).</item>
/// <item>the legacy `$name`: the longest identifier `[A-Za-z_][A-Za-z0-9_]*` after `$`, replaced only when it is such a
/// variable (`$models_dir` is never `$model` + `s_dir`). Anything else after a `$` is the shell's and stays as written:
/// `$HOME`, `$1`, `$$`, `${HOME}`. To reach a shell variable that has a dstack variable's name, write `${name}`.</item>
/// </list>
/// One pass, left to right: a substituted value is never scanned again.
/// </summary>
public sealed partial class VariableSubstitution
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>
    /// variables: the workflow's variables in definition order, overrides already applied. A variable named run_name or
    /// job_id takes precedence over the system value (see <see cref="WorkflowSetParser"/>); one named variables_as_args
    /// is refused by the parser and is ignored here in favour of the system value.
    /// </summary>
    public VariableSubstitution(IReadOnlyList<KeyValuePair<string, string>> variables, string runName, string jobId)
    {
        _values[SystemVariables.RunName] = runName;
        _values[SystemVariables.JobId] = jobId;
        foreach (var (name, value) in variables) _values[name] = value;
        _values[SystemVariables.VariablesAsArgs] = VariablesAsArgs(variables.Where(v => v.Key != SystemVariables.VariablesAsArgs));
    }

    /// <summary>Every name this substitution replaces, system variables included, with its value.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    public string Apply(string text)
    {
        if (!text.Contains('$')) return text;
        var result = new StringBuilder(text.Length);
        var copied = 0;
        foreach (var reference in FindReferences(text))
        {
            if (reference.IsMalformed || !_values.TryGetValue(reference.Name, out var value)) continue;
            result.Append(text, copied, reference.Index - copied).Append(value);
            copied = reference.Index + reference.Length;
        }
        return result.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>
    /// Every `${{ ... }}` and every legacy `$identifier` in the text, in order. Legacy references are candidates:
    /// whether one is a variable depends on the workflow. `$$` is skipped whole so `$$name` stays the shell's.
    /// </summary>
    public static IReadOnlyList<VariableReference> FindReferences(string text)
    {
        var found = new List<VariableReference>();
        var i = 0;
        while ((i = text.IndexOf('$', i)) >= 0)
        {
            if (i + 1 >= text.Length) break;
            var next = text[i + 1];
            if (next == '$')
            {
                i += 2;
                continue;
            }
            if (next == '{')
            {
                if (i + 2 < text.Length && text[i + 2] == '{')
                {
                    var match = Explicit().Match(text, i);
                    if (match.Success && match.Index == i)
                    {
                        found.Add(new VariableReference(match.Groups[1].Value, i, match.Length, IsExplicit: true));
                        i += match.Length;
                    }
                    else
                    {
                        found.Add(new VariableReference("", i, 3, IsExplicit: true, IsMalformed: true));
                        i += 3;
                    }
                }
                else
                {
                    i += 2;
                }
                continue;
            }
            if (char.IsAsciiLetter(next) || next == '_')
            {
                var end = i + 2;
                while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_')) end++;
                found.Add(new VariableReference(text[(i + 1)..end], i, end - i, IsExplicit: false));
                i = end;
                continue;
            }
            i++;
        }
        return found;
    }

    /// <summary>`--name value` for each variable, in order, separated by spaces; values quoted only where the shell needs it.</summary>
    public static string VariablesAsArgs(IEnumerable<KeyValuePair<string, string>> variables) =>
        string.Join(' ', variables.Select(v => $"--{v.Key} {ShellQuote(v.Value)}"));

    /// <summary>The value as one shell word: unchanged when it is made only of safe characters, else in single quotes.</summary>
    public static string ShellQuote(string value)
    {
        if (value.Length > 0 && value.All(IsShellSafe)) return value;
        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    private static bool IsShellSafe(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '+' or '=' or '.' or ',' or '/' or ':' or '@' or '%';

    [GeneratedRegex(@"\G\$\{\{\s*([A-Za-z0-9_][A-Za-z0-9_.-]*)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Explicit();
}
