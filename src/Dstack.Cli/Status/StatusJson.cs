using System.Text.Json;
using Dstack.Contracts;
using Dstack.Contracts.Runs;

namespace Dstack.Cli.Status;

/// <summary>`status --json`: the runs as the API has them (RunInfo, JobInfo), times in UTC, indented for people and tools alike.</summary>
public static class StatusJson
{
    private static readonly DstackJsonContext Indented = new(new JsonSerializerOptions(DstackJsonContext.Default.Options) { WriteIndented = true });

    public static string Render(IReadOnlyList<RunInfo> runs)
    {
        var utc = runs.Select(ToUtc).ToList();
        return JsonSerializer.Serialize(utc, Indented.ListRunInfo);
    }

    private static RunInfo ToUtc(RunInfo run) => run with
    {
        SubmittedAt = run.SubmittedAt.ToUniversalTime(),
        Jobs = run.Jobs.Select(j => j with
        {
            SubmittedAt = j.SubmittedAt.ToUniversalTime(),
            StartedAt = j.StartedAt?.ToUniversalTime(),
            FinishedAt = j.FinishedAt?.ToUniversalTime(),
            Attempts = j.Attempts.Select(a => a with { StartedAt = a.StartedAt?.ToUniversalTime(), FinishedAt = a.FinishedAt?.ToUniversalTime() }).ToList(),
        }).ToList(),
    };
}
