using Dstack.Core.Workflows;

namespace Dstack.Core.Planning;

/// <summary>Turns `dstack run WORKFLOW --var value` into jobs: one per workflow of the dependency closure.</summary>
public static class RunPlanner
{
    /// <summary>
    /// Throws <see cref="PlanningException"/> for an unknown workflow or an override of a variable that no workflow of the closure has.
    /// newJobId is called once per job (tests pass a deterministic one).
    /// </summary>
    public static RunPlan Plan(WorkflowSet set, string workflow, IReadOnlyDictionary<string, string> overrides, string runName, Func<string> newJobId)
        => throw new NotImplementedException();
}
