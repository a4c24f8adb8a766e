using Dstack.Contracts.Jobs;

namespace Dstack.Server.Jobs;

/// <summary>A job a stop request moved: its new status, and the runner holding it (null when it never started).</summary>
public sealed record StopChange(string JobId, JobStatus Status, string? RunnerId);
