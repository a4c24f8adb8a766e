namespace Dstack.Server.Runs;

/// <summary>One job of a new run, in plan order: a job the run creates (New), or an earlier run's job it takes with the same key.</summary>
public sealed record RunMember(string JobId, NewJob? New)
{
    public bool Reused => New is null;

    public static RunMember Created(NewJob job) => new(job.Id, job);

    public static RunMember Taken(string jobId) => new(jobId, null);
}
