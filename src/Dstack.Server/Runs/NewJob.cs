using Dstack.Contracts.Runner;

namespace Dstack.Server.Runs;

/// <summary>A planned job ready to store: its spec has every variable substituted (credential and dependency artifacts are added at lease time).</summary>
public sealed record NewJob(
    string Id,
    string Workflow,
    IReadOnlyList<string> DependsOn,
    IReadOnlyDictionary<string, string> Variables,
    string? Image,
    int GpuCount,
    JobSpec Spec);
