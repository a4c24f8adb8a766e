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

    [Fact]
    public void EachJobCarriesItsAttempts_WithTheirOwnExitSignalReasonAndTimesInUtc()
    {
        var local = TimeSpan.FromHours(2);
        var job = SampleRuns.FinishedFinetune().Jobs[0] with
        {
            Status = Dstack.Contracts.Jobs.JobStatus.Running,
            Attempt = 2,
            Attempts =
            [
                new Dstack.Contracts.Jobs.JobAttempt { Attempt = 1, Status = Dstack.Contracts.Jobs.JobStatus.Stopped, Runner = "cricket-1", StartedAt = new DateTimeOffset(2026, 3, 1, 13, 0, 0, local), FinishedAt = new DateTimeOffset(2026, 3, 1, 13, 5, 0, local), Signal = "SIGTERM", ExitCode = 143, Reason = "stopped by the user" },
                new Dstack.Contracts.Jobs.JobAttempt { Attempt = 2, Status = Dstack.Contracts.Jobs.JobStatus.Running, Runner = "cricket-2", StartedAt = new DateTimeOffset(2026, 3, 1, 13, 6, 0, local) },
            ],
        };
        var run = SampleRuns.FinishedFinetune() with { Jobs = [job] };

        using var json = JsonDocument.Parse(StatusJson.Render([run]));

        var rendered = json.RootElement[0].GetProperty("jobs")[0];
        Assert.Equal(2, rendered.GetProperty("attempt").GetInt32());
        var attempts = rendered.GetProperty("attempts");
        Assert.Equal(2, attempts.GetArrayLength());
        Assert.Equal(1, attempts[0].GetProperty("attempt").GetInt32());
        Assert.Equal("STOPPED", attempts[0].GetProperty("status").GetString());
        Assert.Equal("SIGTERM", attempts[0].GetProperty("signal").GetString());
        Assert.Equal(143, attempts[0].GetProperty("exitCode").GetInt32());
        Assert.Equal("stopped by the user", attempts[0].GetProperty("reason").GetString());
        Assert.Equal("2026-03-01T11:00:00+00:00", attempts[0].GetProperty("startedAt").GetString());
        Assert.Equal("2026-03-01T11:05:00+00:00", attempts[0].GetProperty("finishedAt").GetString());
        Assert.Equal("RUNNING", attempts[1].GetProperty("status").GetString());
        Assert.Equal("cricket-2", attempts[1].GetProperty("runner").GetString());
        Assert.Equal(JsonValueKind.Null, attempts[1].GetProperty("finishedAt").ValueKind);
    }

    [Fact]
    public void AReusedJobCarriesReusedItsCacheKeyAndTheRunsTag_InCamelCase()
    {
        var run = SampleRuns.FinishedFinetune();
        run = run with
        {
            Tag = "latest",
            Jobs = [run.Jobs[0] with { RunName = "old-owl-1", Reused = true, CacheKey = "ab12" }, run.Jobs[1] with { CacheKey = "cd34" }],
        };
        using var json = JsonDocument.Parse(StatusJson.Render([run]));
        var first = json.RootElement[0];
        Assert.Equal("latest", first.GetProperty("tag").GetString());
        var reused = first.GetProperty("jobs")[0];
        Assert.True(reused.GetProperty("reused").GetBoolean());
        Assert.Equal("ab12", reused.GetProperty("cacheKey").GetString());
        Assert.Equal("old-owl-1", reused.GetProperty("runName").GetString());
        var own = first.GetProperty("jobs")[1];
        Assert.False(own.GetProperty("reused").GetBoolean());
        Assert.Equal("cd34", own.GetProperty("cacheKey").GetString());
    }
}
