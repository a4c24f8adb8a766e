using System.Threading.Channels;
using Dstack.Contracts.Logs;

namespace Dstack.Runner.Logs;

/// <summary>
/// The local log of one job attempt (`HOME/spool/slot-N.log`): every read of the job's output is
/// appended as one record the moment it arrives, so nothing depends on the server being there. The
/// shipper is woken on each append and sends what is past the acknowledged offset.
/// </summary>
public sealed class LogSpool : IDisposable
{
    private readonly FileStream _file;
    private readonly Lock _lock = new();
    private readonly Channel<bool> _dataSignal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly byte[] _header = new byte[LogSpoolFormat.HeaderSize];
    private long _length;
    private long _outputBytes;
    private volatile bool _complete;

    private LogSpool(string path, FileStream file)
    {
        Path = path;
        _file = file;
    }

    public string Path { get; }

    /// <summary>Size of the spool file so far: every record below this position is whole and readable.</summary>
    public long Length => Interlocked.Read(ref _length);

    /// <summary>True once the job's output has ended: nothing more will be appended.</summary>
    public bool IsComplete => _complete;

    /// <summary>Creates the spool of a job attempt, or empties the one the slot's previous job used.</summary>
    public static LogSpool Create(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        return new LogSpool(path, file);
    }

    public void Append(LogStream stream, DateTimeOffset time, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        lock (_lock)
        {
            if (_complete) throw new InvalidOperationException("the log spool is complete");
            LogSpoolFormat.WriteHeader(_header, stream, time, _outputBytes, data.Length);
            _outputBytes += data.Length;
            _file.Write(_header);
            _file.Write(data);
            _file.Flush(); // to the OS (not the disk): the shipper reads it back through its own handle
            Interlocked.Exchange(ref _length, _file.Position);
        }
        _dataSignal.Writer.TryWrite(true);
    }

    /// <summary>Marks the end of the output: the shipper stops once everything is acknowledged.</summary>
    public void Complete()
    {
        lock (_lock) _complete = true;
        _dataSignal.Writer.TryWrite(true);
    }

    /// <summary>Waits until something was appended (or the spool completed) since the last wait.</summary>
    public async Task WaitForDataAsync(CancellationToken ct)
    {
        await _dataSignal.Reader.WaitToReadAsync(ct);
        _dataSignal.Reader.TryRead(out _);
    }

    /// <summary>
    /// Once everything is shipped: closes the spool and empties its file, which stays for the slot's next job
    /// (truncating frees the space; deleting and creating again would cost an inode each time).
    /// </summary>
    public void Release()
    {
        lock (_lock)
        {
            if (_file.CanWrite) _file.SetLength(0);
        }
        Dispose();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _complete = true;
            _file.Dispose();
        }
        _dataSignal.Writer.TryWrite(true); // a shipper waiting for data sees the end
    }
}
