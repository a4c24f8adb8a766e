namespace Dstack.Core.Workflows;

/// <summary>Where the workflow files live in a repository. Paths are relative to the repository root, with '/'.</summary>
public static class WorkflowFilePaths
{
    public const string WorkflowsFile = ".dstack/workflows.yaml";

    /// <summary>Every `*.yaml` directly in this folder holds more workflows.</summary>
    public const string WorkflowsFolder = ".dstack/workflows";

    public const string VariablesFile = ".dstack/variables.yaml";

    /// <summary>`.dstack/workflows.yaml` or `.dstack/workflows/NAME.yaml`.</summary>
    public static bool IsWorkflowsFile(string path)
    {
        if (path == WorkflowsFile) return true;
        if (!path.StartsWith(WorkflowsFolder + "/", StringComparison.Ordinal)) return false;
        var name = path[(WorkflowsFolder.Length + 1)..];
        return name.Length > ".yaml".Length && !name.Contains('/') && name.EndsWith(".yaml", StringComparison.Ordinal);
    }

    public static bool IsVariablesFile(string path) => path == VariablesFile;

    /// <summary>Orders workflow files the way their workflows are merged: workflows.yaml first, then the folder's files by path.</summary>
    public static int CompareWorkflowsFiles(string a, string b)
    {
        if (a == b) return 0;
        if (a == WorkflowsFile) return -1;
        if (b == WorkflowsFile) return 1;
        return string.CompareOrdinal(a, b);
    }
}
