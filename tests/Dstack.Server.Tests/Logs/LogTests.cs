using System.Net;
using System.Text;
using Dstack.Contracts.Client;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Logs;
using Dstack.Contracts.Runner;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Logs;

public sealed class LogTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private static LogChunk Chunk(long offset, string text, int second, LogStream stream = LogStream.Stdout) =>
        new() { Offset = offset, Stream = stream, Time = T0.AddSeconds(second), Data = Encoding.UTF8.GetBytes(text) };

    private static async Task<List<LogRecord>> ReadAllAsync(IAsyncEnumerable<LogRecord> records)
    {
        var result = new List<LogRecord>();
        await foreach (var record in records) result.Add(record);
        return result;
    }

    [Fact]
    public async Task SameChunkSentTwice_IsStoredOnce_AndAcknowledged()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;
        var request = new LogAppendRequest { FencingToken = lease.FencingToken, Attempt = 1, Chunks = [Chunk(0, "hello\n", 0), Chunk(6, "world", 1)] };

        var first = await harness.Runner.AppendLogsAsync(lease.JobId, request);
        var again = await harness.Runner.AppendLogsAsync(lease.JobId, request);
        var records = await ReadAllAsync(harness.User.StreamJobLogsAsync(lease.JobId, null, follow: false));

        Assert.Equal(11, first.AckedOffset);
        Assert.Equal(11, again.AckedOffset);
        Assert.Equal(["hello\n", "world"], records.Select(r => Encoding.UTF8.GetString(r.Data)));
        Assert.Equal([0L, 6L], records.Select(r => r.Offset));
    }

    [Fact]
    public async Task RawBytes_SurviveUnchanged()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;
        byte[] raw = [0x31, 0x30, 0x25, 0x0d, 0x32, 0x30, 0x25, 0x0d, 0xff, 0xfe, 0x00];

        await harness.Runner.AppendLogsAsync(lease.JobId, new LogAppendRequest
        {
            FencingToken = lease.FencingToken,
            Attempt = 1,
            Chunks = [new() { Offset = 0, Stream = LogStream.Stderr, Time = T0, Data = raw }],
        });
        var record = Assert.Single(await ReadAllAsync(harness.User.StreamJobLogsAsync(lease.JobId, null, follow: false)));

        Assert.Equal(raw, record.Data);
        Assert.Equal(LogStream.Stderr, record.Stream);
        Assert.Equal(T0, record.Time);
    }

    [Fact]
    public async Task RunLogs_InterleaveItsJobsInTimeOrder_AndSinceFilters()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var run = await harness.SubmitAsync("finetune-model");
        var download = (await harness.LeaseAsync(runner))!;
        var encode = (await harness.LeaseAsync(runner))!;

        await harness.Runner.AppendLogsAsync(download.JobId, new() { FencingToken = download.FencingToken, Attempt = 1, Chunks = [Chunk(0, "d1", 1), Chunk(2, "d2", 3)] });
        await harness.Runner.AppendLogsAsync(encode.JobId, new() { FencingToken = encode.FencingToken, Attempt = 1, Chunks = [Chunk(0, "e1", 2), Chunk(2, "e2", 4)] });
        var all = await ReadAllAsync(harness.User.StreamRunLogsAsync(run.RunName, null, follow: false));
        var recent = await ReadAllAsync(harness.User.StreamRunLogsAsync(run.RunName, T0.AddSeconds(3), follow: false));

        Assert.Equal(["d1", "e1", "d2", "e2"], all.Select(r => Encoding.UTF8.GetString(r.Data)));
        Assert.Equal([download.JobId, encode.JobId, download.JobId, encode.JobId], all.Select(r => r.JobId));
        Assert.Equal(["d2", "e2"], recent.Select(r => Encoding.UTF8.GetString(r.Data)));
    }

    [Fact]
    public async Task ManyRecords_AreAllStreamed_AcrossPages()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;
        var chunks = Enumerable.Range(0, 1000).Select(i => Chunk(i * 10, $"line {i:D4}\n", i)).ToList();

        await harness.Runner.AppendLogsAsync(lease.JobId, new() { FencingToken = lease.FencingToken, Attempt = 1, Chunks = chunks });
        var records = await ReadAllAsync(harness.User.StreamJobLogsAsync(lease.JobId, null, follow: false));

        Assert.Equal(chunks.Select(c => c.Offset), records.Select(r => r.Offset));
    }

    [Fact]
    public async Task Follow_StreamsRecordsAsTheyArrive_AndEndsWhenTheJobFinishes()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;
        await harness.Runner.AppendLogsAsync(lease.JobId, new() { FencingToken = lease.FencingToken, Attempt = 1, Chunks = [Chunk(0, "before", 0)] });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var received = new List<string>();
        var firstSeen = new TaskCompletionSource();

        var follow = Task.Run(async () =>
        {
            await foreach (var record in harness.User.StreamJobLogsAsync(lease.JobId, null, follow: true, timeout.Token))
            {
                lock (received) received.Add(Encoding.UTF8.GetString(record.Data));
                firstSeen.TrySetResult();
            }
        });
        await firstSeen.Task.WaitAsync(timeout.Token);
        await harness.Runner.AppendLogsAsync(lease.JobId, new() { FencingToken = lease.FencingToken, Attempt = 1, Chunks = [Chunk(6, "during", 1)] });
        await Eventually.Until(() => { lock (received) return received.Count == 2; }, what: "the record sent while following");
        var endedEarly = follow.IsCompleted;
        await harness.Runner.AppendLogsAsync(lease.JobId, new() { FencingToken = lease.FencingToken, Attempt = 1, Chunks = [Chunk(12, "last", 2)] });
        await harness.FinishAsync(lease);
        await follow.WaitAsync(timeout.Token);

        Assert.False(endedEarly);
        Assert.Equal(["before", "during", "last"], received);
    }

    [Fact]
    public async Task FollowOfAFinishedRun_EndsAfterItsRecords()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var run = await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;
        await harness.Runner.AppendLogsAsync(lease.JobId, new() { FencingToken = lease.FencingToken, Attempt = 1, Chunks = [Chunk(0, "only", 0)] });
        await harness.FinishAsync(lease, JobStatus.Failed, "exit code 1", 1);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var records = await ReadAllAsync(harness.User.StreamRunLogsAsync(run.RunName, null, follow: true, timeout.Token));

        Assert.Equal("only", Encoding.UTF8.GetString(Assert.Single(records).Data));
    }

    [Fact]
    public async Task LogsOfAnUnknownRun_AreNotFound_AndABadSinceIsRefused()
    {
        await using var harness = await ServerHarness.StartAsync();
        var run = await harness.SubmitAsync("encode-dataset");

        var unknown = await Assert.ThrowsAsync<DstackApiException>(() => ReadAllAsync(harness.User.StreamRunLogsAsync("nope-nope-1", null, false)));
        using var http = new HttpClient { BaseAddress = harness.Server.Url };
        http.DefaultRequestHeaders.Authorization = new("Bearer", harness.Server.UserToken);
        using var bad = await http.GetAsync(Contracts.ApiRoutes.RunLogs(run.RunName) + "?since=yesterday");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("ISO 8601", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task LogsOfAnEndedAttempt_AreRefused()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;

        var error = await Assert.ThrowsAsync<DstackApiException>(() => harness.Runner.AppendLogsAsync(lease.JobId,
            new LogAppendRequest { FencingToken = lease.FencingToken, Attempt = 7, Chunks = [Chunk(0, "x", 0)] }));

        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
    }
}
