namespace Dstack.Core.Planning;

/// <summary>A run request that can't be planned (unknown workflow, unknown variable). Message is meant for the user.</summary>
public sealed class PlanningException(string message) : Exception(message);
