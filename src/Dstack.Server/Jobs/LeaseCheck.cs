using Dstack.Contracts.Jobs;

namespace Dstack.Server.Jobs;

/// <summary>A runner's report passed the fencing check: the job it is about, as it is now.</summary>
public sealed record LeaseCheck(string JobId, long RunId, int Attempt, JobStatus Status);
