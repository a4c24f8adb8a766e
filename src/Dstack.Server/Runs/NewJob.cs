using Dstack.Contracts.Runner;

namespace Dstack.Server.Runs;

/// <summary>
/// A planned job ready to store: its spec has every variable substituted (credential and dependency artifacts are
/// added at lease time); DependsOn holds the ids of the jobs the run actually uses, reused or awaited ones included.
/// </summary>
public sealed record NewJob(
    string Id,
    string Workflow,
    IReadOnlyList<string> DependsOn,
    IReadOnlyDictionary<string, string> Variables,
    string? Image,
    int GpuCount,
    JobSpec Spec,
    string CacheKey,
    string CacheParts);
