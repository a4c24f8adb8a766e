using System.Formats.Tar;
using System.Text;

namespace Dstack.Runner.Tests.Support;

/// <summary>Builds the tar of untracked files the way `dstack run` sends it, including hostile entries.</summary>
public sealed class TarBuilder
{
    private readonly MemoryStream _buffer = new();
    private readonly TarWriter _writer;

    public TarBuilder() => _writer = new TarWriter(_buffer, TarEntryFormat.Pax, leaveOpen: true);

    public TarBuilder File(string name, string content, UnixFileMode mode = (UnixFileMode)0x1A4)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = mode, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };
        _writer.WriteEntry(entry);
        return this;
    }

    public TarBuilder Directory(string name)
    {
        _writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0x1ED });
        return this;
    }

    public TarBuilder SymbolicLink(string name, string target)
    {
        _writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target });
        return this;
    }

    public byte[] Build()
    {
        _writer.Dispose();
        return _buffer.ToArray();
    }
}
