namespace Dstack.Server.Pruning;

/// <summary>
/// The database side of `dstack prune` for one owner's repository. Candidates are the runs without a tag whose member
/// jobs are all finished; a run is kept when it is tagged, unfinished, or used by a kept run (transitively), where R
/// uses P when a member job of R, or a job that a member job of R depends on, was created by P.
/// </summary>
public interface IPruneStore
{
    /// <summary>What <see cref="Remove"/> would remove now; changes nothing.</summary>
    PrunePlan Plan(string owner, string repoUrl);

    /// <summary>Removes the runs of the plan with their own jobs, attempts, edges, artifact file rows, log records and memberships, in one transaction.</summary>
    PrunePlan Remove(string owner, string repoUrl);

    /// <summary>
    /// Calls <paramref name="delete"/> with those of <paramref name="blobs"/> that no row references, holding the
    /// database's write lock meanwhile: no run or artifact manifest can record a new reference to them in between.
    /// </summary>
    void WithUnreferenced(IReadOnlyList<string> blobs, Action<IReadOnlyList<string>> delete);
}
