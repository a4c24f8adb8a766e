using System.Text.Json;
using Dstack.Contracts;
using Dstack.Contracts.Client;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runner;
using Dstack.Server.Hosting;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Hosting;

public sealed class ServerEnvironmentTests
{
    private static readonly ServerOptions Defaults = new() { Home = "/tmp/unused" };

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void RunnerTimeoutAndStopGrace_ComeFromTheEnvironment_InSeconds()
    {
        var options = ServerEnvironment.Apply(Defaults, Environment(("DSTACK_RUNNER_TIMEOUT_SECONDS", "2"), ("DSTACK_STOP_GRACE_SECONDS", "0.5")));

        Assert.Equal(TimeSpan.FromSeconds(2), options.RunnerTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.DefaultStopGrace);
    }

    [Fact]
    public void WithoutTheVariables_TheDefaultsStay_ThirtySecondsTimeoutAndTenSecondsGrace()
    {
        var options = ServerEnvironment.Apply(Defaults, Environment(("DSTACK_STOP_GRACE_SECONDS", "")));

        Assert.Equal(TimeSpan.FromSeconds(30), options.RunnerTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.DefaultStopGrace);
    }

    [Fact]
    public void TheBuiltInRunnersSlots_ComeFromTheEnvironment_ElseOnePerCore()
    {
        Assert.Equal(4, ServerEnvironment.Apply(Defaults, Environment(("DSTACK_RUNNER_SLOTS", "4"))).RunnerSlots);
        Assert.Null(ServerEnvironment.Apply(Defaults, Environment()).RunnerSlots);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("1.5")]
    [InlineData("many")]
    [InlineData("257")]
    public void ABadSlotCount_IsRefused_SayingTheRange(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => ServerEnvironment.Apply(Defaults, Environment(("DSTACK_RUNNER_SLOTS", value))));
        Assert.Contains($"DSTACK_RUNNER_SLOTS={value} is not a number of slots: set it to a whole number from 1 to 256", error.Message);
    }

    [Fact]
    public void AZeroGrace_IsAccepted_ForAnImmediateKill() =>
        Assert.Equal(TimeSpan.Zero, ServerEnvironment.Apply(Defaults, Environment(("DSTACK_STOP_GRACE_SECONDS", "0"))).DefaultStopGrace);

    [Theory]
    [InlineData("DSTACK_RUNNER_TIMEOUT_SECONDS", "abc", "DSTACK_RUNNER_TIMEOUT_SECONDS=abc is not a number of seconds: set it to more than 0 seconds")]
    [InlineData("DSTACK_RUNNER_TIMEOUT_SECONDS", "0", "DSTACK_RUNNER_TIMEOUT_SECONDS=0 is out of range: set it to more than 0 seconds")]
    [InlineData("DSTACK_RUNNER_TIMEOUT_SECONDS", "NaN", "DSTACK_RUNNER_TIMEOUT_SECONDS=NaN is not a number of seconds")]
    [InlineData("DSTACK_STOP_GRACE_SECONDS", "-1", "DSTACK_STOP_GRACE_SECONDS=-1 is out of range: set it to 0 or more seconds")]
    [InlineData("DSTACK_STOP_GRACE_SECONDS", "10s", "DSTACK_STOP_GRACE_SECONDS=10s is not a number of seconds: set it to 0 or more seconds")]
    [InlineData("DSTACK_STOP_GRACE_SECONDS", "999999", "DSTACK_STOP_GRACE_SECONDS=999999 is out of range")]
    public void ABadValue_IsRefused_NamingTheVariableAndWhatToSetItTo(string name, string value, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => ServerEnvironment.Apply(Defaults, Environment((name, value))));

        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public async Task ServerProgram_UsesTheSettingsOfItsEnvironment()
    {
        using var home = new TempHome();
        var script = new FakeRunnerScript(home.Path);
        var serverJson = Path.Combine(home.Path, "server.json");
        using var stop = new CancellationTokenSource();
        var options = new ServerOptions { Home = home.Path, Embedded = true, RunnerExecutable = script.ExecutablePath };
        var program = Task.Run(() => ServerProgram.RunAsync(options,
            Environment(("DSTACK_RUNNER_TIMEOUT_SECONDS", "3"), ("DSTACK_STOP_GRACE_SECONDS", "2")), stop.Token));
        int exitCode;
        RunnerRegistration registration;
        RunnerOrders orders;
        try
        {
            await Eventually.Until(() => File.Exists(serverJson), what: "server.json");
            var url = new Uri(JsonSerializer.Deserialize(File.ReadAllText(serverJson), DstackJsonContext.Default.EmbeddedServerState)!.Url);
            using var user = new DstackClient(url, File.ReadAllText(Path.Combine(home.Path, "token")).Trim());
            using var runner = new DstackClient(url, File.ReadAllText(Path.Combine(home.Path, "runner-token")).Trim());
            registration = await runner.RegisterRunnerAsync(new RegisterRunnerRequest { Slots = 1, Capabilities = new() });
            await user.InitRepoAsync(new() { RepoUrl = Workflows.RepoUrl });
            await user.SubmitRunAsync(Workflows.Run("encode-dataset"));
            var lease = (await runner.LeaseAsync(new LeaseRequest { RunnerId = registration.RunnerId, WaitMs = 5000 }))!;
            await user.StopJobAsync(lease.JobId, new StopRequest());
            orders = await runner.GetOrdersAsync(new RunnerOrdersRequest { RunnerId = registration.RunnerId, WaitMs = 100 });
        }
        finally
        {
            await stop.CancelAsync();
            exitCode = await program.WaitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.Equal(0, exitCode);
        Assert.Equal(1000, registration.HeartbeatIntervalMs);
        Assert.Equal(2000, Assert.Single(orders.Stop).GraceMs);
    }
}
