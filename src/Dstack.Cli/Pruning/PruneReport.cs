using Dstack.Cli.Artifacts;
using Dstack.Contracts.Pruning;

namespace Dstack.Cli.Pruning;

/// <summary>What `dstack prune` prints: each run removed (or that a dry run would remove), then the totals.</summary>
public static class PruneReport
{
    public const string NothingToPrune = "nothing to prune";

    public static IEnumerable<string> Lines(PruneResult result)
    {
        if (result.Runs.Count == 0)
        {
            yield return NothingToPrune;
            yield break;
        }
        var verb = result.DryRun ? "would remove" : "removed";
        foreach (var run in result.Runs) yield return $"{verb} run {run}";
        var freed = result.DryRun ? "would be freed" : "freed";
        yield return $"{verb} {Count(result.Runs.Count, "run")}, {Count(result.Jobs, "job")} and {Count(result.Blobs, "stored file")}: " +
            $"{HumanSize.Format(result.Bytes)} {freed}";
        if (result.DryRun) yield return "nothing was removed: run `dstack prune` to remove them";
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
