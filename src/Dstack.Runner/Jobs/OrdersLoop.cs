using System.Net;
using Dstack.Contracts.Client;
using Dstack.Contracts.Runner;
using Dstack.Runner.Connection;
using Dstack.Runner.Hosting;

namespace Dstack.Runner.Jobs;

/// <summary>
/// Keeps one orders long-poll open per runner: the server answers it the moment a stop order is pending,
/// so a stop starts within milliseconds instead of at the next heartbeat. A server that does not know the
/// route (an older one: 404 or 405) is told once in the log and asked again only now and then; meanwhile
/// the orders still arrive in heartbeat answers.
/// </summary>
/// <param name="unansweredRetry">How long to wait before asking a server that did not know the route again (it may have been upgraded); default 30 s.</param>
public sealed class OrdersLoop(
    ServerConnection connection, RunnerIdentity identity, ActiveJobSet activeJobs, RunnerLog log, TimeSpan wait, TimeSpan? unansweredRetry = null)
{
    private readonly TimeSpan _unansweredRetry = unansweredRetry ?? TimeSpan.FromSeconds(30);

    /// <summary>On top of the wait, before a silent long-poll is given up and asked again.</summary>
    private static readonly TimeSpan AnswerMargin = TimeSpan.FromSeconds(15);

    private bool _unanswered;

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var runnerId = identity.RunnerId;
            try
            {
                var request = new RunnerOrdersRequest { RunnerId = runnerId, WaitMs = (int)wait.TotalMilliseconds };
                var orders = await connection.CallAsync(async (client, token) =>
                {
                    // A long-poll the server never answers (a half-open connection) times out and is asked again.
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                    timeout.CancelAfter(wait + AnswerMargin);
                    return await client.GetOrdersAsync(request, timeout.Token);
                }, ct);
                if (_unanswered)
                {
                    _unanswered = false;
                    log.Info("the server answers the orders long-poll now");
                }
                activeJobs.ApplyStopOrders(orders.Stop, log);
            }
            catch (DstackApiException refusal) when (IsUnknownRoute(refusal))
            {
                if (!_unanswered)
                {
                    _unanswered = true;
                    log.Warn($"the server does not answer the orders long-poll ({(int)refusal.StatusCode} {refusal.Message}); "
                        + "stop orders will come with heartbeat answers only");
                }
                await Task.Delay(_unansweredRetry, ct);
            }
            catch (DstackApiException refusal)
            {
                await identity.HandleRefusalAsync(refusal, runnerId, ct);
            }
        }
    }

    /// <summary>
    /// A server without the route: 405, or a 404 other than the one about an unknown runner (which means
    /// register again). Anything unclear counts as no route: waiting 30 s is harmless, re-registering in a loop is not.
    /// </summary>
    private static bool IsUnknownRoute(DstackApiException refusal) =>
        refusal.StatusCode == HttpStatusCode.MethodNotAllowed
        || (refusal.StatusCode == HttpStatusCode.NotFound && !refusal.Message.StartsWith("unknown runner", StringComparison.Ordinal));
}
