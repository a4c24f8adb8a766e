namespace Dstack.Server.Caching;

/// <summary>The run of a repository that carries a tag, with its member jobs in position order.</summary>
public sealed record TaggedRun(string RunName, IReadOnlyList<CachedJob> Members);
