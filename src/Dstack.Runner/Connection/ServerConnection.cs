using System.Net;
using Dstack.Contracts.Client;
using Dstack.Runner.Hosting;

namespace Dstack.Runner.Connection;

/// <summary>
/// The runner's link to the server. Every call goes through <see cref="CallAsync{T}"/>, which retries
/// while the server is unreachable (down, restarting, moved to another port) with a short capped
/// backoff, looking the server up again after each failure. Answers the server gives (4xx) are not
/// retried: they are the caller's to handle.
/// </summary>
public sealed class ServerConnection : IDisposable
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(50);

    private readonly ServerLocator _locator;
    private readonly string _token;
    private readonly RunnerLog _log;
    private readonly TimeSpan _maxDelay;
    private readonly SocketsHttpHandler _handler = new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
    };
    private readonly Lock _lock = new();
    private readonly List<DstackClient> _clients = [];
    private DstackClient? _current;
    private bool _unreachable;

    public ServerConnection(ServerLocator locator, string token, RunnerLog log, TimeSpan maxDelay)
    {
        _locator = locator;
        _token = token;
        _log = log;
        _maxDelay = maxDelay;
    }

    /// <summary>Runs the call against the current server, retrying until it gets an answer or ct is cancelled.</summary>
    public async Task<T> CallAsync<T>(Func<DstackClient, CancellationToken, Task<T>> call, CancellationToken ct)
    {
        var delay = FirstDelay;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var client = CurrentClient();
            if (client is not null)
            {
                try
                {
                    var result = await call(client, ct);
                    MarkReachable(client);
                    return result;
                }
                catch (Exception e) when (IsUnreachable(e, ct))
                {
                    MarkUnreachable(client, e);
                    Relocate(client);
                }
            }
            await Task.Delay(delay, ct);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _maxDelay.Ticks));
        }
    }

    public Task CallAsync(Func<DstackClient, CancellationToken, Task> call, CancellationToken ct) =>
        CallAsync<bool>(async (client, token) =>
        {
            await call(client, token);
            return true;
        }, ct);

    /// <summary>
    /// Failures that mean "no answer from the server": worth retrying, perhaps at a new address. An IOException
    /// counts only when it comes from the connection (HttpIOException, or a socket error inside): a local disk error
    /// (disk full while placing a blob, a file gone before its upload) is the job's failure, and retrying it would
    /// keep the job RUNNING forever.
    /// </summary>
    public static bool IsUnreachable(Exception e, CancellationToken ct) => e switch
    {
        HttpRequestException or HttpIOException => true,
        IOException io => FromTheConnection(io),
        OperationCanceledException => !ct.IsCancellationRequested, // a timeout, not our cancellation
        DstackApiException api => (int)api.StatusCode >= 500 || api.StatusCode == HttpStatusCode.RequestTimeout,
        _ => false,
    };

    private static bool FromTheConnection(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Net.Sockets.SocketException or HttpRequestException or HttpIOException) return true;
        }
        return false;
    }

    private DstackClient? CurrentClient()
    {
        lock (_lock)
        {
            if (_current is null) Relocate(null);
            return _current;
        }
    }

    private void Relocate(DstackClient? failed)
    {
        lock (_lock)
        {
            if (_current != failed) return; // another caller already moved on
            var url = _locator.Locate();
            if (url is null) return;
            if (_current is not null && _current.BaseAddress == url) return;
            _current = new DstackClient(url, _token, _handler);
            _clients.Add(_current); // older clients may still have calls in flight: disposed with the connection
            _log.Info($"server at {url}");
        }
    }

    private void MarkUnreachable(DstackClient client, Exception e)
    {
        lock (_lock)
        {
            if (_unreachable) return;
            _unreachable = true;
        }
        _log.Warn($"server at {client.BaseAddress} unreachable ({e.Message}); retrying");
    }

    private void MarkReachable(DstackClient client)
    {
        if (!Volatile.Read(ref _unreachable)) return;
        lock (_lock)
        {
            if (!_unreachable) return;
            _unreachable = false;
        }
        _log.Info($"server at {client.BaseAddress} answers again");
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var client in _clients) client.Dispose();
            _clients.Clear();
            _current = null;
        }
        _handler.Dispose();
    }
}
