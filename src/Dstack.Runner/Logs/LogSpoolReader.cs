using Dstack.Contracts.Logs;

namespace Dstack.Runner.Logs;

/// <summary>Reads records back from a spool file, from any record's position in the file.</summary>
public sealed class LogSpoolReader(string path) : IDisposable
{
    private readonly FileStream _file = new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
    private readonly byte[] _header = new byte[LogSpoolFormat.HeaderSize];

    /// <summary>
    /// Records from file position <paramref name="from"/> up to <paramref name="end"/>, at most <paramref name="maxBytes"/>
    /// of data (but always at least one record), and the file position after the last one returned.
    /// </summary>
    public (List<LogChunk> Chunks, long Next) ReadBatch(long from, long end, int maxBytes)
    {
        var chunks = new List<LogChunk>();
        var position = from;
        var total = 0;
        _file.Position = from;
        while (position + LogSpoolFormat.HeaderSize <= end)
        {
            _file.ReadExactly(_header);
            var (stream, time, offset, length) = LogSpoolFormat.ReadHeader(_header);
            if (chunks.Count > 0 && total + length > maxBytes) break;
            var data = new byte[length];
            _file.ReadExactly(data);
            chunks.Add(new LogChunk { Offset = offset, Stream = stream, Time = time, Data = data });
            position += LogSpoolFormat.HeaderSize + length;
            total += length;
        }
        return (chunks, position);
    }

    /// <summary>The file position of the record at output offset <paramref name="offset"/> (or of the end), to resume from what the server acknowledged.</summary>
    public long PositionOf(long offset, long end)
    {
        var position = 0L;
        while (position + LogSpoolFormat.HeaderSize <= end)
        {
            _file.Position = position;
            _file.ReadExactly(_header);
            var (_, _, recordOffset, length) = LogSpoolFormat.ReadHeader(_header);
            if (recordOffset >= offset) return position;
            position += LogSpoolFormat.HeaderSize + length;
        }
        return position;
    }

    public void Dispose() => _file.Dispose();
}
