using System.Globalization;
using Dstack.Cli.Terminal;
using Dstack.Core.Workflows;

namespace Dstack.Cli.Running;

/// <summary>
/// Parses `dstack run [WORKFLOW] [--VARIABLE VALUE | --VARIABLE=VALUE]... [-f|--follow] [--no-cache] [--dry-run] [-h|--help]`.
/// The options depend on the workflow files (every variable of WorkflowSet.OptionsOf(W) is one), so they are checked
/// here against the parsed set rather than declared to System.CommandLine. run's own flags may come anywhere; no
/// variable can shadow them, since the workflow files' parser refuses a variable named like one (RunOptionNames).
/// </summary>
public static class RunArgumentParser
{
    public static RunArguments Parse(IReadOnlyList<string> tokens, WorkflowSet set)
    {
        string? workflow = null;
        bool follow = false, help = false, noCache = false, dryRun = false;
        var options = new List<(string Name, string? Value)>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            switch (token)
            {
                case "-h" or "--help":
                    help = true;
                    continue;
                case "-f" or "--follow":
                    follow = true;
                    continue;
                case NoCacheFlag:
                    noCache = true;
                    continue;
                case DryRunFlag:
                    dryRun = true;
                    continue;
            }
            if (OwnFlagWithValue(token) is { } flag)
            {
                throw new CliException($"{flag} takes no value: write {flag} alone");
            }
            if (token.StartsWith("--", StringComparison.Ordinal) && token.Length > 2)
            {
                var equals = token.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0)
                {
                    options.Add((token[2..equals], token[(equals + 1)..]));
                }
                else if (i + 1 < tokens.Count && !LooksLikeOption(tokens[i + 1]))
                {
                    options.Add((token[2..], tokens[++i]));
                }
                else
                {
                    options.Add((token[2..], null));
                }
            }
            else if (token.StartsWith('-') && token.Length > 1)
            {
                options.Add((token, null)); // single-dash options other than -f and -h: reported as unknown below
            }
            else if (workflow is null)
            {
                workflow = token;
            }
            else
            {
                throw new CliException($"unexpected argument '{token}': dstack run takes one workflow, then its options (--name value)");
            }
        }

        if (workflow is not null && set.Find(workflow) is null)
        {
            throw new CliException($"unknown workflow '{workflow}': the workflows are {string.Join(", ", set.Workflows.Select(w => w.Name))}");
        }
        if (help || workflow is null) return new RunArguments(workflow, new Dictionary<string, string>(), follow, help) { NoCache = noCache, DryRun = dryRun };
        if (dryRun && follow)
        {
            throw new CliException("--dry-run submits nothing, so there is nothing to follow: drop -f/--follow");
        }

        var valid = set.OptionsOf(workflow).Select(v => v.Name).ToList();
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in options)
        {
            if (name.StartsWith('-') || !valid.Contains(name, StringComparer.Ordinal))
            {
                var shown = name.StartsWith('-') ? name : "--" + name;
                throw new CliException($"unknown option {shown} for workflow {workflow}: its options are {ValidOptions(valid)}");
            }
            overrides[name] = value ?? throw new CliException($"option --{name} needs a value: --{name} VALUE or --{name}=VALUE");
        }
        return new RunArguments(workflow, overrides, follow, help) { NoCache = noCache, DryRun = dryRun };
    }

    public const string NoCacheFlag = "--no-cache";
    public const string DryRunFlag = "--dry-run";

    /// <summary>`--follow=yes`, `--no-cache=1`: run's own flags are switches, and a value would otherwise read as an unknown variable.</summary>
    private static string? OwnFlagWithValue(string token)
    {
        var equals = token.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0) return null;
        var name = token[..equals];
        return name is "--follow" or "--help" or NoCacheFlag or DryRunFlag ? name : null;
    }

    /// <summary>The options a workflow takes, as an error message lists them.</summary>
    public static string ValidOptions(IReadOnlyList<string> variables) =>
        string.Join(", ", variables.Select(v => "--" + v).Append("-f/--follow").Append(NoCacheFlag).Append(DryRunFlag));

    /// <summary>A following token is a value unless it is an option; a negative number (`--lr -0.5`) is a value.</summary>
    private static bool LooksLikeOption(string token) =>
        token.StartsWith('-') && token.Length > 1 && !double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
