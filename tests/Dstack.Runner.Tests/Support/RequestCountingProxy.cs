using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Dstack.Runner.Tests.Support;

/// <summary>
/// A TCP forwarder on 127.0.0.1 in front of a server that counts the HTTP requests whose request line starts with a
/// given prefix ("POST /api/runners/lease "), so a test can see which calls a runner makes without touching either side.
/// </summary>
public sealed class RequestCountingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly byte[] _prefix;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];
    private readonly Task _accepting;
    private int _count;

    public RequestCountingProxy(Uri target, string requestLinePrefix)
    {
        _target = target;
        _prefix = Encoding.ASCII.GetBytes("\n" + requestLinePrefix);
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
                lock (_pumps)
                {
                    _pumps.Add(PumpAsync(client, server, count: true));
                    _pumps.Add(PumpAsync(server, client, count: false));
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, bool count)
    {
        var buffer = new byte[64 * 1024];
        // The bytes seen so far, from the last newline on: a request line split across two reads still matches. A new
        // connection starts as if after a newline.
        var tail = new List<byte> { (byte)'\n' };
        try
        {
            var input = from.GetStream();
            var output = to.GetStream();
            int read;
            while ((read = await input.ReadAsync(buffer, _stop.Token)) > 0)
            {
                if (count) Scan(buffer.AsSpan(0, read), tail);
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

    private void Scan(ReadOnlySpan<byte> data, List<byte> tail)
    {
        foreach (var b in data)
        {
            if (b == '\n') tail.Clear();
            if (tail.Count == _prefix.Length) continue; // longer than the prefix: this line is decided
            tail.Add(b);
            if (tail.Count == _prefix.Length && tail.SequenceEqual(_prefix)) Interlocked.Increment(ref _count);
        }
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
