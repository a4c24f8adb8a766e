namespace Dstack.Server.Pruning;

/// <summary>
/// The runs a prune removes (names, oldest first), how many jobs they created, and the blobs they referenced that no
/// remaining row references (candidates for deletion from the blob store).
/// </summary>
public sealed record PrunePlan(IReadOnlyList<string> Runs, int Jobs, IReadOnlyList<string> Blobs);
