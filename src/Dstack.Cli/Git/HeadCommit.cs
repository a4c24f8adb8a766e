namespace Dstack.Cli.Git;

/// <summary>
/// HEAD as a run names it: the commit runners check out, and its tree, which cache keys hash (a commit that changes no
/// file keeps it); AtARemoteBranch when a remote-tracking branch points at the commit itself (so it is pushed).
/// </summary>
public sealed record HeadCommit(string Commit, string Tree, bool AtARemoteBranch = false);
