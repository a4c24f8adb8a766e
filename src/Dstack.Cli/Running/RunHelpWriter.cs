using System.Text;
using Dstack.Core.Workflows;

namespace Dstack.Cli.Running;

/// <summary>The help of `dstack run`, built from the workflow files: the workflows, or one workflow's variables as options.</summary>
public static class RunHelpWriter
{
    /// <summary>run's own flags, as both help pages list them after the variables.</summary>
    private static readonly (string Flags, string Help)[] OwnFlags =
    [
        ("-f, --follow", "stream the run's logs until it ends (Ctrl-C detaches; the run goes on)"),
        (RunArgumentParser.NoCacheFlag, "run every job afresh, even one whose code, variables and dependencies match a DONE job"),
        (RunArgumentParser.DryRunFlag, "show which jobs the run would create, reuse or wait for, and why; submit nothing"),
    ];

    public static string Workflows(WorkflowSet set)
    {
        var names = set.Workflows.Select(w => w.Name).ToList();
        var width = Math.Max(names.Select(n => n.Length).DefaultIfEmpty(0).Max() + 6, 20);
        var text = new StringBuilder();
        text.Append("usage: dstack run {").Append(string.Join(',', names)).Append("} ...").Append('\n');
        text.Append('\n').Append("positional arguments:").Append('\n');
        foreach (var name in names)
        {
            text.Append("    ").Append(name.PadRight(width)).Append("run ").Append(name).Append(" workflow").Append('\n');
        }
        text.Append('\n').Append("optional arguments:").Append('\n');
        var flagWidth = OwnFlags.Max(f => f.Flags.Length) + 2;
        foreach (var (flags, help) in OwnFlags) text.Append("  ").Append(flags.PadRight(flagWidth)).Append(help).Append('\n');
        text.Append('\n').Append("`dstack run WORKFLOW --help` lists the variables a workflow takes as options.").Append('\n');
        return text.ToString();
    }

    public static string Workflow(WorkflowSet set, string workflow)
    {
        var variables = set.OptionsOf(workflow);
        var rows = variables.Select(v => (Flag: "--" + v.Name, Meta: $"[{MetaName(v.Name)}]", Help: $"default is {Shown(v.Value)}")).ToList();
        var text = new StringBuilder();
        text.Append("usage: dstack run ").Append(workflow);
        foreach (var row in rows) text.Append(" [").Append(row.Flag).Append(' ').Append(row.Meta).Append(']');
        text.Append(" [-f] [").Append(RunArgumentParser.NoCacheFlag).Append("] [").Append(RunArgumentParser.DryRunFlag).Append(']').Append('\n');
        text.Append('\n').Append("optional arguments:").Append('\n');
        var flagWidth = rows.Select(r => r.Flag.Length).Concat(OwnFlags.Select(f => f.Flags.Length)).Max() + 2;
        var metaWidth = rows.Count == 0 ? 0 : rows.Max(r => r.Meta.Length) + 2;
        foreach (var row in rows)
        {
            text.Append("  ").Append(row.Flag.PadRight(flagWidth)).Append(row.Meta.PadRight(metaWidth)).Append(row.Help).Append('\n');
        }
        foreach (var (flags, help) in OwnFlags)
        {
            text.Append("  ").Append(flags.PadRight(flagWidth)).Append(new string(' ', metaWidth)).Append(help).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>`models_dir` shows as MODELS_DIR, `batch-size` as BATCH_SIZE, as argparse shows them.</summary>
    private static string MetaName(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_').ToArray());

    private static string Shown(string value) => value.Length == 0 ? "''" : value;
}
