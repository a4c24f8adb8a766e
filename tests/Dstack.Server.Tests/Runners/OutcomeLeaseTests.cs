using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runner;
using Dstack.Contracts.Runs;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Runners;

/// <summary>An outcome that asks for the slot's next job gets it in the same answer: one round trip a job.</summary>
public sealed class OutcomeLeaseTests
{
    private const string Chain = """
        workflows:
          - name: first
            commands: [echo first]
          - name: second
            depends-on: [first]
            commands: [echo second]
        """;

    /// <summary>A runner, a run of <see cref="Chain"/>, and the lease of its first job.</summary>
    private static async Task<(RunnerRegistration Runner, RunInfo Run, JobLease First)> StartChainAsync(ServerHarness harness)
    {
        var runner = await harness.RegisterRunnerAsync();
        await harness.User.InitRepoAsync(new() { RepoUrl = Workflows.RepoUrl });
        var run = await harness.User.SubmitRunAsync(Workflows.Run("second", workflows: Chain));
        return (runner, run, (await harness.LeaseAsync(runner))!);
    }

    [Fact]
    public async Task Outcome_BringsBackTheJobItMadeReady_AsAFreshLease()
    {
        await using var harness = await ServerHarness.StartAsync();
        var (runner, run, first) = await StartChainAsync(harness);

        var next = await harness.Runner.ReportOutcomeAsync(first.JobId,
            new JobOutcome { FencingToken = first.FencingToken, Status = JobStatus.Done, ExitCode = 0, NextLeaseFor = runner.RunnerId });

        Assert.NotNull(next);
        Assert.Equal("second", next.Workflow);
        Assert.Equal(run.RunName, next.RunName);
        Assert.True(next.FencingToken > first.FencingToken);
        Assert.Equal(["echo second"], next.Spec.Commands);
        var jobs = (await harness.User.FindRunAsync(run.RunName))!.Jobs.ToDictionary(j => j.Workflow);
        Assert.Equal(JobStatus.Done, jobs["first"].Status);
        Assert.Equal((JobStatus.Running, runner.Name), (jobs["second"].Status, jobs["second"].Runner));
        // The job it leased is the runner's: its own outcome is accepted with that token.
        await harness.FinishAsync(next);
        Assert.Equal(JobStatus.Done, (await harness.User.FindRunAsync(run.RunName))!.Status);
    }

    [Fact]
    public async Task Outcome_AnswersNoLease_WhenNothingIsReady_WithoutWaiting()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        var run = await harness.SubmitAsync("encode-dataset");
        var lease = (await harness.LeaseAsync(runner))!;

        var next = await harness.Runner.ReportOutcomeAsync(lease.JobId,
            new JobOutcome { FencingToken = lease.FencingToken, Status = JobStatus.Done, ExitCode = 0, NextLeaseFor = runner.RunnerId })
            .WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Null(next);
        Assert.Equal(JobStatus.Done, (await harness.User.FindRunAsync(run.RunName))!.Status);
    }

    [Fact]
    public async Task Outcome_ForAnUnknownRunner_IsStillRecorded_AndLeasesNothing()
    {
        await using var harness = await ServerHarness.StartAsync();
        var (runner, run, first) = await StartChainAsync(harness);

        var next = await harness.Runner.ReportOutcomeAsync(first.JobId,
            new JobOutcome { FencingToken = first.FencingToken, Status = JobStatus.Done, ExitCode = 0, NextLeaseFor = "no-such-runner" });

        Assert.Null(next);
        var jobs = (await harness.User.FindRunAsync(run.RunName))!.Jobs.ToDictionary(j => j.Workflow);
        Assert.Equal(JobStatus.Done, jobs["first"].Status);
        Assert.Equal(JobStatus.Submitted, jobs["second"].Status);
        Assert.Equal("second", (await harness.LeaseAsync(runner))!.Workflow);
    }

    [Fact]
    public async Task TheSameOutcomeSentAgain_LeasesNoSecondJob()
    {
        const string fan = """
            workflows:
              - name: first
                commands: [echo first]
              - name: left
                depends-on: [first]
                commands: [echo left]
              - name: right
                depends-on: [first]
                commands: [echo right]
            """;
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        await harness.User.InitRepoAsync(new() { RepoUrl = Workflows.RepoUrl });
        var run = await harness.User.SubmitRunAsync(Workflows.Run("left", workflows: fan));
        await harness.User.SubmitRunAsync(Workflows.Run("right", workflows: fan));
        var first = (await harness.LeaseAsync(runner))!;
        var outcome = new JobOutcome { FencingToken = first.FencingToken, Status = JobStatus.Done, ExitCode = 0, NextLeaseFor = runner.RunnerId };

        var next = await harness.Runner.ReportOutcomeAsync(first.JobId, outcome);
        var again = await harness.Runner.ReportOutcomeAsync(first.JobId, outcome); // its answer was lost: sent again

        Assert.NotNull(next);
        Assert.Null(again);
        Assert.Equal(JobStatus.Done, (await harness.User.FindJobAsync(first.JobId))!.Status);
        // The other ready job is still there for the next lease, not handed out in the repeated answer.
        Assert.NotNull(await harness.LeaseAsync(runner));
    }

    [Fact]
    public async Task PlainOutcome_LeasesNothing()
    {
        await using var harness = await ServerHarness.StartAsync();
        var (runner, run, first) = await StartChainAsync(harness);

        var next = await harness.Runner.ReportOutcomeAsync(first.JobId, new JobOutcome { FencingToken = first.FencingToken, Status = JobStatus.Done, ExitCode = 0 });

        Assert.Null(next);
        Assert.Equal(JobStatus.Submitted, (await harness.User.FindRunAsync(run.RunName))!.Jobs.Single(j => j.Workflow == "second").Status);
    }
}
