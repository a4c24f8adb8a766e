using System.Diagnostics;
using Dstack.Contracts.Client;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runner;
using Dstack.Runner.Execution;
using Dstack.Runner.Hosting;
using Dstack.Runner.Jobs;
using Dstack.Runner.Tests.Support;

namespace Dstack.Runner.Tests.Integration;

/// <summary>A runner that crashed while a job ran is started again: it kills what was left and reports the job lost.</summary>
public sealed class RunnerRestartLoopTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly LoopHarness _loop = new();

    public Task InitializeAsync() => _loop.StartServerAsync();

    public Task DisposeAsync() => _loop.DisposeAsync().AsTask();

    [Fact]
    public async Task ARestartedRunnerKillsTheJobItsPredecessorLeftRunning_AndReportsItFailedAsRunnerLost()
    {
        var run = await _loop.SubmitAsync("workflows:\n  - name: w\n    commands: [sleep 600]\n", "w");
        // What a runner that then crashed did: register, lease the job, start it, record it in its slot.
        using var crashed = new DstackClient(_loop.Server.Url, _loop.Server.RunnerToken);
        var registration = await crashed.RegisterRunnerAsync(new RegisterRunnerRequest { Slots = 1, Capabilities = new RunnerCapabilities { Cpus = 1, MemoryBytes = 1, Gpus = 0 } });
        var lease = (await crashed.LeaseAsync(new LeaseRequest { RunnerId = registration.RunnerId, WaitMs = 10_000 }))!;
        Directory.CreateDirectory(Path.Combine(_loop.RunnerHome, "slots", "0"));
        RunnerStateFile.Save(_loop.RunnerHome, new RunnerState { RunnerId = registration.RunnerId, Pid = 0 });
        using var leftover = Process.Start(new ProcessStartInfo("setsid", ["sleep", "600"]) { UseShellExecute = false })!;
        // Until setsid has run, the pid is not yet a process group of its own, and a group kill would find nothing.
        await Wait.UntilAsync(() => Processes.LeadsItsGroup(leftover.Id) && ProcessStartTime.Read(leftover.Id) is not null, Bound, "the job's process to start in a group of its own");
        SlotJobFile.Save(Path.Combine(_loop.RunnerHome, "slots", "0"), new SlotJobRecord
        {
            JobId = lease.JobId,
            Attempt = lease.Attempt,
            FencingToken = lease.FencingToken,
            ProcessGroupId = leftover.Id,
            StartTicks = ProcessStartTime.Read(leftover.Id)!.Value,
        });

        _loop.StartRunner(slots: 1);

        var job = await _loop.WaitForJobAsync(run.Jobs.Single().JobId, j => j.Status == JobStatus.Failed, "FAILED", Bound);
        Assert.Equal(LostJobReport.Reason, job.Reason);
        Assert.True(leftover.WaitForExit(TimeSpan.FromSeconds(10)));
    }
}
