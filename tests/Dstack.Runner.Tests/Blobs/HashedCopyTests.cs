using System.Security.Cryptography;
using Dstack.Contracts.Blobs;
using Dstack.Runner.Tests.Support;

namespace Dstack.Runner.Tests.Blobs;

/// <summary>
/// The copy writes one block while it reads and hashes the next: what is hashed must be what is written, whatever the
/// timing, and nothing may outlive the call.
/// </summary>
public sealed class HashedCopyTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EachBlockIsWrittenWhileTheNextIsRead_WithoutOverlappingWrites_OrABlockChangedUnderItsWrite(bool sourceIsAFile)
    {
        var content = RandomNumberGenerator.GetBytes(5 * 1024 * 1024 + 4321);
        var reads = new ReadCounter();
        var source = sourceIsAFile ? (Stream)new CountedFile(Write(content), reads) : new CountedStream(content, reads);
        var path = _temp.Combine("copy.bin");

        (string Sha256, long Length) result;
        ObservedFile target;
        await using (source)
        await using (target = new ObservedFile(path, reads))
        {
            result = await HashedCopy.CopyAsync(source, target, null, CancellationToken.None);
        }

        Assert.Equal(0, target.Overlaps);
        Assert.Equal(0, target.ChangedUnderWrite);
        Assert.True(target.WritesOverlappingARead > 0, "no block was written while the next one was read");
        Assert.Equal((Convert.ToHexStringLower(SHA256.HashData(content)), content.LongLength), result);
        Assert.Equal(content, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task ACancelledCopy_Throws_AndItsWritesAreOverWhenItReturns()
    {
        using var cancel = new CancellationTokenSource();
        var reads = new ReadCounter();
        var source = new CountedStream(RandomNumberGenerator.GetBytes(8 * 1024 * 1024), reads, onRead: n => { if (n == 3) cancel.Cancel(); });
        await using var target = new ObservedFile(_temp.Combine("copy.bin"), reads);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => HashedCopy.CopyAsync(source, target, null, cancel.Token));

        Assert.Equal(0, target.WritesUnderWay);
    }

    [Fact]
    public async Task AWriteThatFails_FailsTheCopy()
    {
        if (!File.Exists("/dev/full")) return; // Linux's always-full device: every write fails with ENOSPC
        await using var source = new MemoryStream(RandomNumberGenerator.GetBytes(3 * 1024 * 1024));
        await using var target = new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);

        await Assert.ThrowsAsync<IOException>(() => HashedCopy.CopyAsync(source, target, null, CancellationToken.None));
    }

    [Fact]
    public async Task ASourceLongerThanTheLimit_IsNotCopiedToItsEnd()
    {
        var reads = new ReadCounter();
        await using var endless = new EndlessStream();
        await using var target = new FileStream(_temp.Combine("copy.bin"), FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);

        var (_, length) = await HashedCopy.CopyAsync(endless, target, null, CancellationToken.None, maxLength: 3_000_000);

        Assert.InRange(length, 3_000_001, 3_000_000 + (1 << 20));
    }

    private string Write(byte[] content)
    {
        var path = _temp.Combine("source.bin");
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>How many reads of the source have finished, for the target to tell a write that overlaps one.</summary>
    private sealed class ReadCounter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public int Finished() => Interlocked.Increment(ref _count);
    }

    private sealed class CountedStream(byte[] content, ReadCounter reads, Action<int>? onRead = null) : MemoryStream(content)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            var finished = reads.Finished(); // counted whether or not anyone listens
            onRead?.Invoke(finished);
            return read;
        }
    }

    private sealed class CountedFile(string path, ReadCounter reads) : FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = base.Read(buffer, offset, count);
            reads.Finished();
            return read;
        }
    }

    /// <summary>
    /// A file whose writes are slow: the write of block K waits (bounded) until the source's read of block K + 1 has
    /// finished, then checks that its block did not change meanwhile and that no other write ran beside it.
    /// </summary>
    private sealed class ObservedFile(string path, ReadCounter reads) : FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0)
    {
        private int _underWay;
        private int _started;

        public int Overlaps { get; private set; }
        public int ChangedUnderWrite { get; private set; }
        public int WritesOverlappingARead { get; private set; }
        public int WritesUnderWay => Volatile.Read(ref _underWay);

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Interlocked.Increment(ref _underWay) > 1) Overlaps++;
            try
            {
                var before = buffer.AsSpan(offset, count).ToArray();
                var block = Interlocked.Increment(ref _started); // 1 for the first block, which the first read filled
                if (SpinWait.SpinUntil(() => reads.Count > block, TimeSpan.FromSeconds(5))) WritesOverlappingARead++;
                if (!buffer.AsSpan(offset, count).SequenceEqual(before)) ChangedUnderWrite++;
                base.Write(buffer, offset, count);
            }
            finally
            {
                Interlocked.Decrement(ref _underWay);
            }
        }
    }

    /// <summary>Never ends, as a device put where a blob's file was would not.</summary>
    private sealed class EndlessStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => count;
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
