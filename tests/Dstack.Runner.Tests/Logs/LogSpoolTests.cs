using Dstack.Contracts.Logs;
using Dstack.Runner.Logs;
using Dstack.Runner.Tests.Support;

namespace Dstack.Runner.Tests.Logs;

public sealed class LogSpoolTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void RecordsReadBackWithTheirStreamTimeBytesAndOffsets()
    {
        var path = _temp.Combine("spool", "job-1.log");
        var t1 = new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567);
        var t2 = t1.AddMilliseconds(5);
        using (var spool = LogSpool.Create(path))
        {
            spool.Append(LogStream.Stdout, t1, "line one\r"u8);
            spool.Append(LogStream.Stderr, t2, new byte[] { 0xff, 0x00, 0x0a });
            Assert.Equal(2 * LogSpoolFormat.HeaderSize + 12, spool.Length);
        }

        var records = SpoolContent.Records(path);

        Assert.Equal(2, records.Count);
        Assert.Equal((0L, LogStream.Stdout, t1), (records[0].Offset, records[0].Stream, records[0].Time));
        Assert.Equal("line one\r"u8.ToArray(), records[0].Data);
        Assert.Equal((9L, LogStream.Stderr, t2), (records[1].Offset, records[1].Stream, records[1].Time));
        Assert.Equal(new byte[] { 0xff, 0x00, 0x0a }, records[1].Data);
    }

    [Fact]
    public void ReadingResumesFromTheAcknowledgedOffset_AndBatchesStayUnderTheirLimit()
    {
        var path = _temp.Combine("job-2.log");
        using var spool = LogSpool.Create(path);
        for (var i = 0; i < 10; i++) spool.Append(LogStream.Stdout, DateTimeOffset.UtcNow, new byte[100]);
        using var reader = new LogSpoolReader(path);
        var (first, next) = reader.ReadBatch(0, spool.Length, 250);

        var (rest, end) = reader.ReadBatch(next, spool.Length, 100_000);

        Assert.Equal(2, first.Count);
        Assert.Equal(2 * (LogSpoolFormat.HeaderSize + 100), next);
        Assert.Equal(200, rest[0].Offset); // output bytes before it, headers not counted
        Assert.Equal(next, reader.PositionOf(200, spool.Length));
        Assert.Equal(8, rest.Count);
        Assert.Equal(spool.Length, end);
        Assert.Single(reader.ReadBatch(0, spool.Length, 1).Chunks); // a record bigger than the limit still goes, alone
    }

    [Fact]
    public async Task TheShipperSendsALineAsSoonAsItIsWritten_WithoutWaitingForTheEnd()
    {
        using var spool = LogSpool.Create(_temp.Combine("job-3.log"));
        var sent = new List<LogChunk>();
        var shipper = new LogShipper(spool, (chunks, _) =>
        {
            lock (sent) sent.AddRange(chunks);
            return Task.FromResult(chunks[^1].Offset + chunks[^1].Data.Length);
        });
        var shipping = shipper.RunAsync(CancellationToken.None);

        spool.Append(LogStream.Stdout, DateTimeOffset.UtcNow, "first\n"u8);

        await Wait.UntilAsync(() => { lock (sent) return sent.Count == 1; }, TimeSpan.FromSeconds(5), "the first line to be sent");
        Assert.False(shipping.IsCompleted);
        spool.Append(LogStream.Stdout, DateTimeOffset.UtcNow, "second\n"u8);
        spool.Complete();
        await shipping;
        Assert.Equal(["first\n", "second\n"], sent.Select(c => System.Text.Encoding.UTF8.GetString(c.Data)));
        Assert.Equal([0L, 6L], sent.Select(c => c.Offset));
        Assert.Equal(13, shipper.AckedOffset);
    }

    [Fact]
    public async Task OutputWrittenWhileARequestIsInFlightGoesInOneBatch()
    {
        using var spool = LogSpool.Create(_temp.Combine("job-4.log"));
        var requests = new List<int>();
        var firstRequestArrived = new TaskCompletionSource();
        var releaseFirstRequest = new TaskCompletionSource();
        var shipper = new LogShipper(spool, async (chunks, _) =>
        {
            lock (requests) requests.Add(chunks.Count);
            if (requests.Count == 1)
            {
                firstRequestArrived.SetResult();
                await releaseFirstRequest.Task;
            }
            return chunks[^1].Offset + chunks[^1].Data.Length;
        });
        var shipping = shipper.RunAsync(CancellationToken.None);
        spool.Append(LogStream.Stdout, DateTimeOffset.UtcNow, "1\n"u8);
        await firstRequestArrived.Task.WaitAsync(TimeSpan.FromSeconds(5));

        for (var i = 0; i < 1000; i++) spool.Append(LogStream.Stdout, DateTimeOffset.UtcNow, "line\n"u8);
        spool.Complete();
        releaseFirstRequest.SetResult();
        await shipping.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([1, 1000], requests);
    }

    [Fact]
    public async Task TheShipperResendsFromWhatTheServerAcknowledged()
    {
        using var spool = LogSpool.Create(_temp.Combine("job-5.log"));
        for (var i = 0; i < 3; i++) spool.Append(LogStream.Stdout, DateTimeOffset.UtcNow, new byte[10]);
        spool.Complete();
        var firstOffsets = new List<long>();
        var shipper = new LogShipper(spool, (chunks, _) =>
        {
            firstOffsets.Add(chunks[0].Offset);
            // the first time, the server keeps only the first record
            var acked = firstOffsets.Count == 1 ? chunks[1].Offset : chunks[^1].Offset + chunks[^1].Data.Length;
            return Task.FromResult(acked);
        });

        await shipper.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([0L, 10L], firstOffsets);
        Assert.Equal(30, shipper.AckedOffset);
    }

    public void Dispose() => _temp.Dispose();
}
