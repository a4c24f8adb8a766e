using System.Text;

namespace Dstack.Cli.Logs;

/// <summary>
/// Writes a run's log records to one stream. With one job the bytes go out exactly as the job wrote them. With
/// several, each line gets its workflow's name in front: records are split at '\n' only ('\r' stays inside its line,
/// so progress bars still redraw) and a job's unfinished line is held until its end arrives or the stream ends,
/// so lines of two jobs never mix.
/// </summary>
public sealed class LogLinePrefixer(Stream output, IReadOnlyDictionary<string, string>? prefixes)
{
    private readonly Dictionary<string, MemoryStream> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _prefixBytes = new(StringComparer.Ordinal);
    // Without prefixes the bytes pass through untouched; a line of our own must still start on a line of its own.
    private bool _atLineStart = true;

    /// <summary>Prefixes padded to the longest workflow name, so the lines line up.</summary>
    public static IReadOnlyDictionary<string, string> PrefixesFor(IReadOnlyDictionary<string, string> workflowByJobId)
    {
        var width = workflowByJobId.Values.Select(w => w.Length).DefaultIfEmpty(0).Max();
        return workflowByJobId.ToDictionary(p => p.Key, p => p.Value.PadRight(width) + " | ", StringComparer.Ordinal);
    }

    public async Task WriteAsync(string jobId, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        if (prefixes is null)
        {
            await output.WriteAsync(data, ct);
            if (data.Length > 0) _atLineStart = data.Span[^1] == (byte)'\n';
            return;
        }
        var rest = data;
        while (rest.Length > 0)
        {
            var newline = rest.Span.IndexOf((byte)'\n');
            if (newline < 0)
            {
                Pending(jobId).Write(rest.Span);
                return;
            }
            await WriteLineAsync(jobId, rest[..(newline + 1)], ct);
            rest = rest[(newline + 1)..];
        }
    }

    /// <summary>
    /// A line of dstack's own (an attempt marker) in the job's place: the job's unfinished line is ended first, so the
    /// marker never lands inside the job's output; with prefixes it carries the job's prefix like the job's lines.
    /// </summary>
    public async Task WriteOwnLineAsync(string jobId, string text, CancellationToken ct)
    {
        var line = Encoding.UTF8.GetBytes(text + "\n");
        if (prefixes is null)
        {
            if (!_atLineStart) await output.WriteAsync("\n"u8.ToArray(), ct);
            await output.WriteAsync(line, ct);
            _atLineStart = true;
            return;
        }
        if (Pending(jobId).Length > 0) await WriteLineAsync(jobId, "\n"u8.ToArray(), ct);
        await output.WriteAsync(Prefix(jobId), ct);
        await output.WriteAsync(line, ct);
    }

    /// <summary>At the end of the stream: the unfinished lines, each ended with a newline so they don't run together.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        foreach (var (jobId, buffer) in _pending)
        {
            if (buffer.Length == 0) continue;
            await WriteLineAsync(jobId, "\n"u8.ToArray(), ct);
        }
        await output.FlushAsync(ct);
    }

    private async Task WriteLineAsync(string jobId, ReadOnlyMemory<byte> end, CancellationToken ct)
    {
        await output.WriteAsync(Prefix(jobId), ct);
        var pending = Pending(jobId);
        if (pending.Length > 0)
        {
            await output.WriteAsync(pending.GetBuffer().AsMemory(0, (int)pending.Length), ct);
            pending.SetLength(0);
        }
        await output.WriteAsync(end, ct);
    }

    private MemoryStream Pending(string jobId)
    {
        if (!_pending.TryGetValue(jobId, out var buffer)) _pending[jobId] = buffer = new MemoryStream();
        return buffer;
    }

    private byte[] Prefix(string jobId)
    {
        if (!_prefixBytes.TryGetValue(jobId, out var bytes))
        {
            var text = prefixes!.TryGetValue(jobId, out var p) ? p : jobId + " | ";
            _prefixBytes[jobId] = bytes = Encoding.UTF8.GetBytes(text);
        }
        return bytes;
    }
}
