using Dstack.Contracts.Runner;

namespace Dstack.Server.Jobs;

/// <summary>A job just moved to RUNNING for one runner, with what the runner needs (the credential is added by the caller).</summary>
public sealed record LeaseGrant(
    string JobId,
    string RunName,
    string Workflow,
    long FencingToken,
    int Attempt,
    string Owner,
    JobSpec Spec,
    IReadOnlyList<DependencyArtifacts> Dependencies);
