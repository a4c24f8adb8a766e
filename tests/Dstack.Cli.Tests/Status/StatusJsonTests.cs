using System.Text.Json;
using Dstack.Cli.Status;
using Dstack.Cli.Tests.Support;

namespace Dstack.Cli.Tests.Status;

public class StatusJsonTests
{
    [Fact]
    public void RunsBecomeAnArrayWithTheirJobsStatusesInUpperCaseAndTimesInUtc()
    {
        var run = SampleRuns.FinishedFinetune() with { SubmittedAt = new DateTimeOffset(2026, 3, 1, 13, 0, 0, TimeSpan.FromHours(1)) };
        using var json = JsonDocument.Parse(StatusJson.Render([run]));
        var first = json.RootElement[0];
        Assert.Equal(JsonValueKind.Array, json.RootElement.ValueKind);
        Assert.Equal("fast-rabbit-1", first.GetProperty("runName").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("tag").ValueKind);
        Assert.Equal("finetune-model", first.GetProperty("workflow").GetString());
        Assert.Equal("DONE", first.GetProperty("status").GetString());
        Assert.Equal("2026-03-01T12:00:00+00:00", first.GetProperty("submittedAt").GetString());
        Assert.Equal("117M", first.GetProperty("variables").GetProperty("model").GetString());
        var job = first.GetProperty("jobs")[0];
        Assert.Equal("53881a211647", job.GetProperty("jobId").GetString());
        Assert.Equal("download-model", job.GetProperty("workflow").GetString());
        Assert.Equal("DONE", job.GetProperty("status").GetString());
        Assert.Equal("cricket-1", job.GetProperty("runner").GetString());
        Assert.Equal("117M", job.GetProperty("variables").GetProperty("model").GetString());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("reason").ValueKind);
        Assert.Equal(JsonValueKind.Null, job.GetProperty("startedAt").ValueKind);
    }

    [Fact]
    public void NoRunsIsAnEmptyArray()
    {
        Assert.Equal("[]", StatusJson.Render([]));
    }
}
