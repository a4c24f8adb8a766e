using Dstack.Cli.Terminal;
using Dstack.Contracts.Artifacts;

namespace Dstack.Cli.Artifacts;

/// <summary>
/// The `artifacts` listings: every file (ARTIFACT, FILE, SIZE) or, with -t, one row per artifact (ARTIFACT, SIZE, FILES).
/// FILE is the path inside its artifact. A run's listing starts with the WORKFLOW of each job.
/// </summary>
public static class ArtifactTable
{
    public static TextTable Files(IReadOnlyList<JobArtifacts> jobs, bool withWorkflow)
    {
        var table = NewTable(withWorkflow ? ["WORKFLOW", "ARTIFACT", "FILE", "SIZE"] : ["ARTIFACT", "FILE", "SIZE"]);
        foreach (var job in jobs)
        {
            foreach (var file in job.Files.OrderBy(f => f.Artifact, StringComparer.Ordinal).ThenBy(f => f.Path, StringComparer.Ordinal))
            {
                var cells = new List<string> { file.Artifact, PathInArtifact(file), HumanSize.Format(file.Size) };
                if (withWorkflow) cells.Insert(0, job.Workflow);
                table.AddRow([.. cells]);
            }
        }
        return table;
    }

    public static TextTable Totals(IReadOnlyList<JobArtifacts> jobs, bool withWorkflow)
    {
        var table = NewTable(withWorkflow ? ["WORKFLOW", "ARTIFACT", "SIZE", "FILES"] : ["ARTIFACT", "SIZE", "FILES"]);
        foreach (var job in jobs)
        {
            foreach (var artifact in job.Files.GroupBy(f => f.Artifact, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var cells = new List<string> { artifact.Key, HumanSize.Format(artifact.Sum(f => f.Size)), artifact.Count().ToString(System.Globalization.CultureInfo.InvariantCulture) };
                if (withWorkflow) cells.Insert(0, job.Workflow);
                table.AddRow([.. cells]);
            }
        }
        return table;
    }

    /// <summary>"encoder.json" for models/124M/encoder.json in artifact models/124M; a file declared as an artifact shows its own name.</summary>
    public static string PathInArtifact(ArtifactFile file)
    {
        var prefix = file.Artifact.TrimEnd('/') + "/";
        return file.Path.StartsWith(prefix, StringComparison.Ordinal) ? file.Path[prefix.Length..] : Path.GetFileName(file.Path);
    }

    private static TextTable NewTable(string[] headers) => new TextTable(headers).AlignRight([.. headers.Where(h => h is "SIZE" or "FILES")]);
}
