using Dstack.Contracts.Runs;

namespace Dstack.Core.Workflows;

/// <summary>Reads a repository's workflow files from disk, as the CLI sends them with a run (the working tree, not the commit).</summary>
public static class WorkflowFileReader
{
    /// <summary>
    /// `.dstack/workflows.yaml`, `.dstack/workflows/*.yaml` (by path) and `.dstack/variables.yaml`, those that exist.
    /// Paths are relative to repoRoot, with '/'. An empty list means the repository has no workflow files.
    /// </summary>
    public static List<WorkflowFileContent> Read(string repoRoot)
    {
        var files = new List<WorkflowFileContent>();
        Add(WorkflowFilePaths.WorkflowsFile);
        var folder = Path.Combine(repoRoot, WorkflowFilePaths.WorkflowsFolder);
        if (Directory.Exists(folder))
        {
            var names = Directory.EnumerateFiles(folder, "*.yaml", SearchOption.TopDirectoryOnly)
                .Select(Path.GetFileName).OfType<string>()
                .Where(n => n.EndsWith(".yaml", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal);
            foreach (var name in names) Add($"{WorkflowFilePaths.WorkflowsFolder}/{name}");
        }
        Add(WorkflowFilePaths.VariablesFile);
        return files;

        void Add(string relative)
        {
            var full = Path.Combine(repoRoot, relative);
            if (File.Exists(full)) files.Add(new WorkflowFileContent(relative, File.ReadAllText(full)));
        }
    }
}
