using Dstack.Contracts.Artifacts;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Dstack.Cli.Artifacts;

/// <summary>
/// The `artifacts` listings: every file (ARTIFACT, FILE, SIZE) or, with -t, one row per artifact (ARTIFACT, SIZE, FILES).
/// FILE is the path inside its artifact. A run's listing starts with the WORKFLOW of each job.
/// </summary>
public static class ArtifactTable
{
    public static Table Files(IReadOnlyList<JobArtifacts> jobs, bool withWorkflow)
    {
        var table = NewTable(withWorkflow ? ["WORKFLOW", "ARTIFACT", "FILE", "SIZE"] : ["ARTIFACT", "FILE", "SIZE"]);
        foreach (var job in jobs)
        {
            foreach (var file in job.Files.OrderBy(f => f.Artifact, StringComparer.Ordinal).ThenBy(f => f.Path, StringComparer.Ordinal))
            {
                var cells = new List<string> { file.Artifact, PathInArtifact(file), HumanSize.Format(file.Size) };
                if (withWorkflow) cells.Insert(0, job.Workflow);
                table.AddRow(Row(cells));
            }
        }
        return table;
    }

    public static Table Totals(IReadOnlyList<JobArtifacts> jobs, bool withWorkflow)
    {
        var table = NewTable(withWorkflow ? ["WORKFLOW", "ARTIFACT", "SIZE", "FILES"] : ["ARTIFACT", "SIZE", "FILES"]);
        foreach (var job in jobs)
        {
            foreach (var artifact in job.Files.GroupBy(f => f.Artifact, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var cells = new List<string> { artifact.Key, HumanSize.Format(artifact.Sum(f => f.Size)), artifact.Count().ToString(System.Globalization.CultureInfo.InvariantCulture) };
                if (withWorkflow) cells.Insert(0, job.Workflow);
                table.AddRow(Row(cells));
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

    private static Table NewTable(string[] headers)
    {
        var table = new Table().Border(TableBorder.None);
        for (var i = 0; i < headers.Length; i++)
        {
            var column = new TableColumn(new Text(headers[i])).PadLeft(0).PadRight(i == headers.Length - 1 ? 0 : 2).NoWrap();
            if (headers[i] is "SIZE" or "FILES") column.RightAligned();
            table.AddColumn(column);
        }
        return table;
    }

    private static IRenderable[] Row(List<string> cells) => cells.Select(c => (IRenderable)new Text(c)).ToArray();
}
