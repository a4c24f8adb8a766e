using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Dstack.Runner.Tests.Support;

/// <summary>
/// A TCP forwarder on 127.0.0.1 in front of a server that counts the HTTP requests whose request line starts with a
/// given prefix ("POST /api/runners/lease "), so a test can see which calls a runner makes without touching either side.
/// It can also hold back the answer to the first request matching a second prefix until the test lets it go, to put
/// another exchange between the server's work and the runner's reading of its answer.
/// </summary>
public sealed class RequestCountingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly byte[] _prefix;
    private readonly byte[]? _holdPrefix;
    private readonly Func<Task>? _release;
    private int _held;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];
    private readonly Task _accepting;
    private int _count;

    public RequestCountingProxy(Uri target, string requestLinePrefix, string? holdAnswerTo = null, Func<Task>? release = null)
    {
        _target = target;
        _prefix = Encoding.ASCII.GetBytes("\n" + requestLinePrefix);
        _holdPrefix = holdAnswerTo is null ? null : Encoding.ASCII.GetBytes("\n" + holdAnswerTo);
        _release = release;
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri Url { get; }

    public int Count => Volatile.Read(ref _count);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var server = new TcpClient();
                await server.ConnectAsync(_target.Host, _target.Port, _stop.Token);
                var connection = new HeldAnswer();
                lock (_pumps)
                {
                    _pumps.Add(PumpAsync(client, server, connection, request: true));
                    _pumps.Add(PumpAsync(server, client, connection, request: false));
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Whether the next bytes the server sends on a connection are the answer to hold.</summary>
    private sealed class HeldAnswer
    {
        public volatile bool Next;
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, HeldAnswer connection, bool request)
    {
        var buffer = new byte[64 * 1024];
        // The bytes seen so far, from the last newline on: a request line split across two reads still matches. A new
        // connection starts as if after a newline.
        var tail = new List<byte> { (byte)'\n' };
        var holdTail = new List<byte> { (byte)'\n' };
        try
        {
            var input = from.GetStream();
            var output = to.GetStream();
            int read;
            while ((read = await input.ReadAsync(buffer, _stop.Token)) > 0)
            {
                if (request)
                {
                    if (Scan(buffer.AsSpan(0, read), tail, _prefix)) Interlocked.Increment(ref _count);
                    // Flagged before the request goes on, so its answer cannot come back first.
                    if (_holdPrefix is not null && Scan(buffer.AsSpan(0, read), holdTail, _holdPrefix) && Interlocked.Exchange(ref _held, 1) == 0)
                    {
                        connection.Next = true;
                    }
                }
                else if (connection.Next)
                {
                    connection.Next = false;
                    await _release!();
                }
                await output.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception)
        {
            // either side closed
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    /// <summary>True when a request line in <paramref name="data"/> starts with <paramref name="prefix"/>.</summary>
    private static bool Scan(ReadOnlySpan<byte> data, List<byte> tail, byte[] prefix)
    {
        var found = false;
        foreach (var b in data)
        {
            if (b == '\n') tail.Clear();
            if (tail.Count == prefix.Length) continue; // longer than the prefix: this line is decided
            tail.Add(b);
            if (tail.Count == prefix.Length && tail.SequenceEqual(prefix)) found = true;
        }
        return found;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] pumps;
        lock (_pumps) pumps = [.. _pumps];
        await Task.WhenAll(pumps);
        _stop.Dispose();
    }
}
