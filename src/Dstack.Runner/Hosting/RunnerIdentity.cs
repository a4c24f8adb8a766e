using System.Net;
using Dstack.Contracts.Client;
using Dstack.Contracts.Runner;
using Dstack.Runner.Connection;

namespace Dstack.Runner.Hosting;

/// <summary>
/// The runner's registration: its id is kept in runner.json and offered again on restart, so the server
/// sees the same runner (and its jobs) come back. When the server no longer knows the id, registers again.
/// </summary>
public sealed class RunnerIdentity(ServerConnection connection, RunnerOptions options, RunnerCapabilities capabilities, RunnerLog log) : IDisposable
{
    private readonly SemaphoreSlim _registering = new(1, 1);
    private RunnerRegistration? _registration;

    public string RunnerId => _registration?.RunnerId ?? throw new InvalidOperationException("the runner is not registered");

    public TimeSpan HeartbeatInterval => TimeSpan.FromMilliseconds(Math.Max(100, _registration?.HeartbeatIntervalMs ?? 5000));

    public async Task RegisterAsync(CancellationToken ct)
    {
        var request = new RegisterRunnerRequest
        {
            RunnerId = _registration?.RunnerId ?? RunnerStateFile.Load(options.Home)?.RunnerId,
            Slots = options.Slots,
            Capabilities = capabilities,
            Host = Environment.MachineName,
        };
        var registration = await connection.CallAsync((client, token) => client.RegisterRunnerAsync(request, token), ct);
        RunnerStateFile.Save(options.Home, new RunnerState { RunnerId = registration.RunnerId, Pid = Environment.ProcessId });
        _registration = registration;
        log.Info($"registered as {registration.Name} ({registration.RunnerId}) with {options.Slots} slot(s), {capabilities.Cpus} CPU(s), "
            + $"{capabilities.MemoryBytes / (1 << 20)} MiB, {capabilities.Gpus} GPU(s), container engine: {capabilities.ContainerEngine ?? "none"}");
    }

    /// <summary>
    /// Handles a refusal of a heartbeat or lease: 404 (the server forgot us, e.g. a fresh database) means
    /// register again; any other refusal is logged and waited out, never retried in a tight loop.
    /// </summary>
    public async Task HandleRefusalAsync(DstackApiException refusal, string? usedRunnerId, CancellationToken ct)
    {
        if (refusal.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            await _registering.WaitAsync(ct);
            try
            {
                if (_registration?.RunnerId == usedRunnerId)
                {
                    log.Warn($"the server does not know runner {usedRunnerId} ({refusal.Message}); registering again");
                    await RegisterAsync(ct);
                }
            }
            finally
            {
                _registering.Release();
            }
            return;
        }
        log.Warn($"the server refused the runner: {(int)refusal.StatusCode} {refusal.Message}");
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
    }

    public void Dispose() => _registering.Dispose();
}
