namespace Dstack.Contracts.Runner;

/// <summary>A job a runner is executing, with the fencing token of its lease.</summary>
public sealed record ActiveJob(string JobId, long FencingToken);
