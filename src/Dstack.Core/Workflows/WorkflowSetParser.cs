using Dstack.Contracts.Runs;
using Dstack.Core.Workflows.Parsing;
using YamlDotNet.RepresentationModel;

namespace Dstack.Core.Workflows;

/// <summary>
/// Parses and validates `.dstack/workflows.yaml`, `.dstack/workflows/*.yaml` and `.dstack/variables.yaml`.
/// Workflows are merged in file order (workflows.yaml first, then the folder's files by path), each file in its order.
/// Only YamlDotNet's node model is used (no reflection), so this works under Native AOT.
/// <para>
/// System variables and user variables of the same name, ONE rule: a user variable named `run_name` or `job_id`
/// (global or a workflow's own) takes precedence over the system variable of that name wherever that workflow
/// sees it: in `$run_name` / `${{ run_name }}`, in `$variables_as_args` (as any variable), and in the job's
/// environment (RUN_NAME / JOB_ID hold the user's value). The set carries a warning for each such variable, with
/// its file:line:column, the workflow and the clash (<see cref="WorkflowSet.Warnings"/>). A user variable named
/// `variables_as_args` is an error: that name only ever means "all variables as arguments".
/// </para>
/// </summary>
public static class WorkflowSetParser
{
    private static readonly IReadOnlyList<string> RootKeys = ["workflows"];

    /// <summary>Throws <see cref="WorkflowFileException"/> with every problem found; never returns a half-valid set.</summary>
    public static WorkflowSet Parse(IReadOnlyList<WorkflowFileContent> files)
    {
        var diagnostics = new DiagnosticList();
        var workflowFiles = files.Where(f => WorkflowFilePaths.IsWorkflowsFile(f.Path))
            .OrderBy(f => f.Path, Comparer<string>.Create(WorkflowFilePaths.CompareWorkflowsFiles)).ToList();
        if (workflowFiles.Count == 0)
        {
            diagnostics.Error(new SourceLocation(WorkflowFilePaths.WorkflowsFile, 1, 1),
                $"no workflow file: create {WorkflowFilePaths.WorkflowsFile} (or {WorkflowFilePaths.WorkflowsFolder}/NAME.yaml) with a 'workflows:' list, each workflow with a 'name' and 'commands'.");
            throw new WorkflowFileException(diagnostics.Errors);
        }

        var parsed = new List<ParsedWorkflow>();
        var everyFileRead = true;
        foreach (var file in workflowFiles) everyFileRead &= ReadWorkflowsFile(file, parsed, diagnostics);

        var variablesReader = new VariablesReader(files.FirstOrDefault(f => WorkflowFilePaths.IsVariablesFile(f.Path)) ?? new WorkflowFileContent(WorkflowFilePaths.VariablesFile, "variables: {}"), diagnostics);
        variablesReader.Read();

        var kept = WorkflowSetChecks.Run(parsed, variablesReader.Variables, variablesReader.Sections, everyFileRead, diagnostics);
        if (diagnostics.Errors.Count > 0) throw new WorkflowFileException(InFileOrder(diagnostics.Errors));
        return new WorkflowSet(kept.Values.Select(p => p.Workflow).ToList(), variablesReader.Variables, InFileOrder(diagnostics.Warnings));
    }

    // Found in several passes; shown the way an editor lists them: by file, then line, then column.
    private static List<WorkflowDiagnostic> InFileOrder(List<WorkflowDiagnostic> diagnostics)
    {
        var fileOrder = Comparer<string>.Create((a, b) =>
            WorkflowFilePaths.IsVariablesFile(a) == WorkflowFilePaths.IsVariablesFile(b) ? WorkflowFilePaths.CompareWorkflowsFiles(a, b) : WorkflowFilePaths.IsVariablesFile(a) ? 1 : -1);
        return diagnostics.OrderBy(d => d.Location.File, fileOrder).ThenBy(d => d.Location.Line).ThenBy(d => d.Location.Column).ToList();
    }

    /// <summary>False when the file could not be read at all (invalid YAML, wrong shape), so the set of workflow names is unknown.</summary>
    private static bool ReadWorkflowsFile(WorkflowFileContent file, List<ParsedWorkflow> into, DiagnosticList diagnostics)
    {
        const string shape = "'workflows:' with a list of workflows";
        var root = YamlFileLoader.LoadRoot(file, diagnostics, shape);
        if (root is null) return false;
        var found = false;
        foreach (var (_, _, value) in KeyCheck.Allowed(root, RootKeys, file.Path, file.Path, diagnostics))
        {
            found = true;
            if (value is YamlScalarNode { Value: null or "" }) continue;
            if (value is not YamlSequenceNode list)
            {
                diagnostics.Error(YamlNodes.Location(file.Path, value), $"'workflows' must be a list, not {YamlNodes.Describe(value)}; start each workflow with '- name: ...'.");
                continue;
            }
            var reader = new WorkflowReader(file.Path, diagnostics);
            for (var i = 0; i < list.Children.Count; i++)
            {
                var workflow = reader.Read(list.Children[i], i);
                if (workflow is not null) into.Add(workflow);
            }
        }
        if (!found) diagnostics.Error(YamlNodes.Location(file.Path, root), $"{file.Path} has no 'workflows:' key; it must hold {shape}.");
        return found;
    }
}
