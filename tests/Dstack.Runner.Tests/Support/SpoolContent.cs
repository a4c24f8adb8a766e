using Dstack.Contracts.Logs;
using Dstack.Runner.Logs;

namespace Dstack.Runner.Tests.Support;

/// <summary>Reads a whole spool back: the records, and the bytes of each stream concatenated.</summary>
public static class SpoolContent
{
    public static List<LogChunk> Records(string path)
    {
        using var reader = new LogSpoolReader(path);
        return reader.ReadBatch(0, new FileInfo(path).Length, int.MaxValue).Chunks;
    }

    public static byte[] Bytes(string path, LogStream stream) =>
        Records(path).Where(r => r.Stream == stream).SelectMany(r => r.Data).ToArray();
}
