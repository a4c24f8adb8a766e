namespace Dstack.Cli.Git;

/// <summary>HEAD as a run names it: the commit runners check out, and its tree, which cache keys hash (a commit that changes no file keeps it).</summary>
public sealed record HeadCommit(string Commit, string Tree);
