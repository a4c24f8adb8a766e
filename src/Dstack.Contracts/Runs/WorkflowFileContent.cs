namespace Dstack.Contracts.Runs;

/// <summary>A `.dstack/` file as it is in the user's working tree. Path is relative to the repository root.</summary>
public sealed record WorkflowFileContent(string Path, string Content);
