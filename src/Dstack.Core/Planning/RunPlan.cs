namespace Dstack.Core.Planning;

/// <summary>The jobs of a run, every job after the jobs it depends on; the requested workflow's job is last.</summary>
public sealed record RunPlan(string RunName, string Workflow, IReadOnlyList<PlannedJob> Jobs);
