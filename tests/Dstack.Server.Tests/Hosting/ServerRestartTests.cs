using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runner;
using Dstack.Server.Hosting;
using Dstack.Server.Storage;
using Dstack.Server.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Dstack.Server.Tests.Hosting;

public sealed class ServerRestartTests
{
    [Fact]
    public async Task Restart_OverTheSameHome_KeepsEveryRun_AndRunsTheMigrationsOnce()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var finished = await harness.SubmitAsync("encode-dataset");
        await harness.FinishAsync((await harness.LeaseAsync(runner))!);
        var waiting = await harness.SubmitAsync("finetune-model");

        await harness.RestartAsync();
        await harness.RestartAsync();
        var runs = await harness.User.ListRunsAsync(Workflows.RepoUrl, last: 10);

        Assert.Equal([finished.RunName, waiting.RunName], runs.Select(r => r.RunName));
        Assert.Equal([JobStatus.Done, JobStatus.Submitted], runs.Select(r => r.Status));
        Assert.Equal(3, runs[1].Jobs.Count);
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(harness.Home, "state.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) || ',' || MAX(version) FROM schema_migrations";
        var latest = SchemaMigrations.All[^1].Version;
        Assert.Equal($"{SchemaMigrations.All.Count},{latest}", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task ADatabaseMigratedByANewerDstack_IsRefused_WithWhatToDo()
    {
        string home;
        await using (var harness = await ServerHarness.StartAsync(home: Directory.CreateTempSubdirectory("dstack-newer-").FullName))
        {
            home = harness.Home;
        }
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(home, "state.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', '2030-01-01')";
            await insert.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<IOException>(() => DstackServer.StartAsync(new ServerOptions { Home = home, Port = 0 }));

        Assert.Contains("schema version 999, written by a newer dstack", error.Message);
        Assert.Contains("./install.sh", error.Message);
        Directory.Delete(home, recursive: true);
    }

    [Fact]
    public async Task ASecondServerOnTheSameHome_IsRefused_UntilTheFirstStops()
    {
        await using var harness = await ServerHarness.StartAsync();

        var error = await Assert.ThrowsAsync<IOException>(() => DstackServer.StartAsync(new ServerOptions { Home = harness.Home, Port = 0 }));
        Assert.Contains("another dstack server is already using", error.Message);

        await harness.RestartAsync();
        Assert.NotNull(await harness.User.GetVersionAsync());
    }

    [Fact]
    public async Task RunnerThatReconnectsAfterARestart_KeepsItsJob_AndOneThatStaysSilentLosesIt()
    {
        var timeout = TimeSpan.FromMilliseconds(200);
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        await using var harness = await ServerHarness.StartAsync(o => o with { RunnerTimeout = timeout }, time: clock);
        var returning = await harness.RegisterRunnerAsync();
        var silent = await harness.RegisterRunnerAsync();
        await harness.SubmitAsync("finetune-model");
        var kept = (await harness.LeaseAsync(returning))!;
        var lost = (await harness.LeaseAsync(silent))!;

        // The server is down for an hour: far longer than the runner timeout.
        await harness.Server.DisposeAsync();
        clock.Advance(TimeSpan.FromHours(1));
        await harness.RestartAsync();
        var heartbeat = await harness.Runner.HeartbeatAsync(new HeartbeatRequest { RunnerId = returning.RunnerId, Jobs = [new(kept.JobId, kept.FencingToken)] });
        await harness.Runner.RegisterRunnerAsync(new RegisterRunnerRequest { RunnerId = returning.RunnerId, Slots = 2, Capabilities = new() });
        clock.Advance(timeout * 0.6);
        await harness.Runner.HeartbeatAsync(new HeartbeatRequest { RunnerId = returning.RunnerId, Jobs = [new(kept.JobId, kept.FencingToken)] });
        clock.Advance(timeout * 0.6);
        await Eventually.Until(() => harness.User.FindJobAsync(lost.JobId), j => j!.Status == JobStatus.Failed, what: "the silent runner's job to fail");
        await harness.FinishAsync(kept);

        Assert.Empty(heartbeat.Revoked);
        Assert.Equal(JobStatus.Done, (await harness.User.FindJobAsync(kept.JobId))!.Status);
        Assert.Equal("runner lost", (await harness.User.FindJobAsync(lost.JobId))!.Reason);
    }
}
