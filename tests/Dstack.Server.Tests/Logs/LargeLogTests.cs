using System.Diagnostics;
using System.Security.Cryptography;
using Dstack.Contracts.Logs;
using Dstack.Contracts.Runner;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Logs;

public sealed class LargeLogTests
{
    [Fact]
    public async Task HundredMegabytesOfOutput_AreStoredAndStreamedWhole_WhileTheServerStaysResponsive()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var run = await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;
        const int chunkSize = 64 * 1024;
        const int chunksPerRequest = 16;
        const int requests = 100;
        var payload = RandomNumberGenerator.GetBytes(chunkSize);
        var time = DateTimeOffset.UtcNow;
        var slowestVersion = TimeSpan.Zero;

        using var shipping = new CancellationTokenSource();
        var probe = Task.Run(async () =>
        {
            while (!shipping.IsCancellationRequested)
            {
                var clock = Stopwatch.StartNew();
                await harness.User.GetVersionAsync();
                if (clock.Elapsed > slowestVersion) slowestVersion = clock.Elapsed;
                await Task.Yield();
            }
        });
        long offset = 0;
        for (var r = 0; r < requests; r++)
        {
            var chunks = new List<LogChunk>();
            for (var c = 0; c < chunksPerRequest; c++)
            {
                chunks.Add(new LogChunk { Offset = offset, Stream = LogStream.Stdout, Time = time.AddTicks(offset), Data = payload });
                offset += chunkSize;
            }
            var ack = await harness.Runner.AppendLogsAsync(lease.JobId, new LogAppendRequest { FencingToken = lease.FencingToken, Attempt = 1, Chunks = chunks });
            Assert.Equal(offset, ack.AckedOffset);
        }
        await shipping.CancelAsync();
        await probe;
        await harness.FinishAsync(lease);

        long received = 0;
        long expectedOffset = 0;
        await foreach (var record in harness.User.StreamRunLogsAsync(run.RunName, null, follow: true))
        {
            Assert.Equal(expectedOffset, record.Offset);
            expectedOffset += record.Data.Length;
            received += record.Data.Length;
        }

        Assert.Equal(100L * chunksPerRequest * chunkSize, received);
        Assert.True(slowestVersion < TimeSpan.FromSeconds(2), $"the server took {slowestVersion} to answer while logs were shipped");
    }
}
