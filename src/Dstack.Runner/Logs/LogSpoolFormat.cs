using System.Buffers.Binary;
using Dstack.Contracts.Logs;

namespace Dstack.Runner.Logs;

/// <summary>
/// The framing of a spool file: per record a 13-byte header (stream: 1 byte; time: UTC ticks, 8 bytes
/// little-endian; length: 4 bytes little-endian) and the bytes as the job wrote them. A record's offset
/// is the position of its header, which makes it the unit the server acknowledges.
/// </summary>
public static class LogSpoolFormat
{
    public const int HeaderSize = 13;

    public static void WriteHeader(Span<byte> header, LogStream stream, DateTimeOffset time, int length)
    {
        header[0] = (byte)stream;
        BinaryPrimitives.WriteInt64LittleEndian(header[1..], time.UtcTicks);
        BinaryPrimitives.WriteInt32LittleEndian(header[9..], length);
    }

    public static (LogStream Stream, DateTimeOffset Time, int Length) ReadHeader(ReadOnlySpan<byte> header)
    {
        var stream = header[0] switch
        {
            0 => LogStream.Stdout,
            1 => LogStream.Stderr,
            var other => throw new InvalidDataException($"log spool record with unknown stream {other}"),
        };
        var time = new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(header[1..]), TimeSpan.Zero);
        var length = BinaryPrimitives.ReadInt32LittleEndian(header[9..]);
        if (length < 0) throw new InvalidDataException($"log spool record with negative length {length}");
        return (stream, time, length);
    }
}
