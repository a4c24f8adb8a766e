namespace Dstack.Runner.Workspace;

/// <summary>The workspace could not be made ready; Reason becomes the job's FAILED reason, Log goes to its stderr.</summary>
public sealed class WorkspacePreparationException(string reason, byte[]? log = null, Exception? inner = null)
    : Exception(reason, inner)
{
    public string Reason { get; } = reason;
    public byte[]? Log { get; } = log;
}
