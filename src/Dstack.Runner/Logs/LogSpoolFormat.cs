using System.Buffers.Binary;
using Dstack.Contracts.Logs;

namespace Dstack.Runner.Logs;

/// <summary>
/// The framing of a spool file: per record a 21-byte header (stream: 1 byte; time: UTC ticks, 8 bytes;
/// offset: 8 bytes; length: 4 bytes; little-endian) and the bytes as the job wrote them. A record's
/// offset is the number of output bytes before it (headers not counted): the unit the server stores
/// and acknowledges (it acknowledges up to offset + length of what it has).
/// </summary>
public static class LogSpoolFormat
{
    public const int HeaderSize = 21;

    public static void WriteHeader(Span<byte> header, LogStream stream, DateTimeOffset time, long offset, int length)
    {
        header[0] = (byte)stream;
        BinaryPrimitives.WriteInt64LittleEndian(header[1..], time.UtcTicks);
        BinaryPrimitives.WriteInt64LittleEndian(header[9..], offset);
        BinaryPrimitives.WriteInt32LittleEndian(header[17..], length);
    }

    public static (LogStream Stream, DateTimeOffset Time, long Offset, int Length) ReadHeader(ReadOnlySpan<byte> header)
    {
        var stream = header[0] switch
        {
            0 => LogStream.Stdout,
            1 => LogStream.Stderr,
            var other => throw new InvalidDataException($"log spool record with unknown stream {other}"),
        };
        var time = new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(header[1..]), TimeSpan.Zero);
        var offset = BinaryPrimitives.ReadInt64LittleEndian(header[9..]);
        var length = BinaryPrimitives.ReadInt32LittleEndian(header[17..]);
        if (length < 0) throw new InvalidDataException($"log spool record with negative length {length}");
        return (stream, time, offset, length);
    }
}
