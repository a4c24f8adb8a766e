using System.Text;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Logs;
using Dstack.Contracts.Runner;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Logs;

public sealed class AttemptLogTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private static LogChunk Chunk(long offset, string text, int second) =>
        new() { Offset = offset, Stream = LogStream.Stdout, Time = T0.AddSeconds(second), Data = Encoding.UTF8.GetBytes(text) };

    private static async Task<List<LogRecord>> ReadAllAsync(IAsyncEnumerable<LogRecord> records)
    {
        var result = new List<LogRecord>();
        await foreach (var record in records) result.Add(record);
        return result;
    }

    [Fact]
    public async Task JobLogs_OfAResumedJob_GiveEveryAttemptInOrder_WhileRunLogsInterleaveByTime()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var run = await harness.SubmitAsync("finetune-model");
        var first = (await harness.LeaseAsync(runner))!;
        var other = (await harness.LeaseAsync(runner))!;
        await harness.Runner.AppendLogsAsync(first.JobId, new() { FencingToken = first.FencingToken, Attempt = 1, Chunks = [Chunk(0, "1a", 10), Chunk(2, "1b", 12)] });
        await harness.User.StopJobAsync(first.JobId, new StopRequest());
        await harness.Runner.ReportOutcomeAsync(first.JobId, new JobOutcome { FencingToken = first.FencingToken, Status = JobStatus.Stopped });
        await harness.User.ResumeJobAsync(first.JobId);
        var second = (await harness.LeaseAsync(runner))!;

        // The second attempt ran on a runner whose clock is behind: its records carry earlier times than the first's.
        var stale = await Assert.ThrowsAsync<Contracts.Client.DstackApiException>(() => harness.Runner.AppendLogsAsync(second.JobId,
            new() { FencingToken = second.FencingToken, Attempt = 1, Chunks = [Chunk(4, "late", 13)] }));
        await harness.Runner.AppendLogsAsync(second.JobId, new() { FencingToken = second.FencingToken, Attempt = 2, Chunks = [Chunk(0, "2a", 5), Chunk(2, "2b", 11)] });
        await harness.Runner.AppendLogsAsync(other.JobId, new() { FencingToken = other.FencingToken, Attempt = 1, Chunks = [Chunk(0, "o", 6)] });
        var job = await ReadAllAsync(harness.User.StreamJobLogsAsync(first.JobId, null, follow: false));
        var all = await ReadAllAsync(harness.User.StreamRunLogsAsync(run.RunName, null, follow: false));

        Assert.Equal(System.Net.HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(["1a", "1b", "2a", "2b"], job.Select(r => Encoding.UTF8.GetString(r.Data)));
        Assert.Equal([1, 1, 2, 2], job.Select(r => r.Attempt));
        Assert.Equal(["2a", "o", "1a", "2b", "1b"], all.Select(r => Encoding.UTF8.GetString(r.Data)));
    }

    [Fact]
    public async Task JobLogs_LongerThanAPage_KeepTheAttemptOrderAcrossPages()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("encode-dataset");
        var first = (await harness.LeaseAsync(runner))!;
        var chunks = Enumerable.Range(0, 300).Select(i => Chunk(i, "x", 100 + i)).ToList();
        await harness.Runner.AppendLogsAsync(first.JobId, new() { FencingToken = first.FencingToken, Attempt = 1, Chunks = chunks });
        await harness.User.StopJobAsync(first.JobId, new StopRequest());
        await harness.Runner.ReportOutcomeAsync(first.JobId, new JobOutcome { FencingToken = first.FencingToken, Status = JobStatus.Stopped });
        await harness.User.ResumeJobAsync(first.JobId);
        var second = (await harness.LeaseAsync(runner))!;
        await harness.Runner.AppendLogsAsync(second.JobId, new() { FencingToken = second.FencingToken, Attempt = 2, Chunks = [Chunk(0, "y", 0)] });

        var job = await ReadAllAsync(harness.User.StreamJobLogsAsync(first.JobId, null, follow: false));

        Assert.Equal(301, job.Count);
        Assert.Equal(Enumerable.Repeat(1, 300).Append(2), job.Select(r => r.Attempt));
    }
}
