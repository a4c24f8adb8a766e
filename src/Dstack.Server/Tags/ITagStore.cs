namespace Dstack.Server.Tags;

/// <summary>Run tags: at most one per run, each unique within an owner's repository (the unique index runs_by_tag).</summary>
public interface ITagStore
{
    /// <summary>
    /// Gives the run the tag, replacing the tag it had. Throws 404 for an unknown run and 409 when another run of
    /// the same repository has the tag.
    /// </summary>
    void SetTag(string owner, string runName, string tag);

    /// <summary>Takes the tag off the repository's run that has it and returns that run's name; null when no run has it.</summary>
    string? RemoveTag(string owner, string repoUrl, string tag);
}
