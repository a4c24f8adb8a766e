namespace Dstack.Server.Runs;

/// <summary>A run's id and its member jobs in position order, and whether it took any from another run: what a log stream reads by.</summary>
public sealed record RunMembers(long RunId, IReadOnlyList<string> JobIds, bool AnyReused);
