namespace Dstack.Server.Pruning;

/// <summary>A run of the repository being pruned, with what alone keeps it: a tag, or a member job not finished.</summary>
internal readonly record struct ScopeRun(long Id, string Name, bool Tagged, bool Unfinished);
