using System.Diagnostics;
using Dstack.Contracts.Runner;
using Dstack.Runner.Execution;
using Dstack.Runner.Hosting;
using Dstack.Runner.Jobs;
using Dstack.Runner.Tests.Support;

namespace Dstack.Runner.Tests.Jobs;

public sealed class JobRecordTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private static JobLease Lease(string jobId, long token) => new()
    {
        JobId = jobId,
        RunName = "fast-rabbit-1",
        Workflow = "train",
        FencingToken = token,
        Attempt = 1,
        Spec = new JobSpec
        {
            RepoUrl = "/repo",
            Commit = new string('a', 40),
            Commands = ["true"],
            WorkingDir = ".",
            Environment = new Dictionary<string, string>(),
            Artifacts = [],
        },
    };

    [Fact]
    public void TheHeartbeatListsEachJobWithItsFencingToken_AndARevokedJobIsCancelled()
    {
        var jobs = new ActiveJobSet();
        using var first = new RunningJob(Lease("aaaaaaaaaaaa", 7), CancellationToken.None);
        using var second = new RunningJob(Lease("bbbbbbbbbbbb", 9), CancellationToken.None);
        jobs.Add(first);
        jobs.Add(second);

        var revoked = jobs.Revoke("aaaaaaaaaaaa", 7, "the server revoked its lease");

        Assert.True(revoked);
        Assert.Equal([new ActiveJob("aaaaaaaaaaaa", 7), new ActiveJob("bbbbbbbbbbbb", 9)], jobs.Snapshot().OrderBy(j => j.JobId));
        Assert.True(first.Token.IsCancellationRequested);
        Assert.Equal("the server revoked its lease", first.LostReason);
        Assert.False(second.Token.IsCancellationRequested);
        Assert.False(jobs.Revoke("cccccccccccc", 1, "unknown"));
        jobs.Remove(first);
        Assert.Equal([new ActiveJob("bbbbbbbbbbbb", 9)], jobs.Snapshot());
    }

    [Fact]
    public void ARevocationOfAnAttemptThatIsOver_LeavesTheJobsNextAttemptAlone()
    {
        var jobs = new ActiveJobSet();
        using var attempt1 = new RunningJob(Lease("aaaaaaaaaaaa", 7), CancellationToken.None);
        using var attempt2 = new RunningJob(Lease("aaaaaaaaaaaa", 12), CancellationToken.None);
        jobs.Add(attempt1);
        jobs.Add(attempt2); // resumed and leased again while the first attempt was still cleaning up

        Assert.False(jobs.Revoke("aaaaaaaaaaaa", 7, "the server revoked its lease"));
        Assert.False(attempt2.Token.IsCancellationRequested);
        Assert.True(jobs.Revoke("aaaaaaaaaaaa", 12, "the server revoked its lease"));
        Assert.True(attempt2.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task ARestartedRunnerKillsTheProcessGroupsItsPredecessorLeft_AndNothingElse_AndReturnsTheirJobs()
    {
        var slot0 = Directory.CreateDirectory(_temp.Combine("slots", "0")).FullName;
        var slot1 = Directory.CreateDirectory(_temp.Combine("slots", "1")).FullName;
        using var leftover = Process.Start(new ProcessStartInfo("setsid", ["sleep", "600"]) { UseShellExecute = false })!;
        using var bystander = Process.Start(new ProcessStartInfo("setsid", ["sleep", "600"]) { UseShellExecute = false })!;
        // Until setsid has run, the pid is not yet a process group of its own, and a group kill would find nothing.
        await Wait.UntilAsync(() => Processes.LeadsItsGroup(leftover.Id) && Processes.LeadsItsGroup(bystander.Id) && ProcessStartTime.Read(bystander.Id) is not null, TimeSpan.FromSeconds(5), "the processes to start in groups of their own");
        SlotJobFile.Save(slot0, new SlotJobRecord { JobId = "aaaaaaaaaaaa", ProcessGroupId = leftover.Id, StartTicks = ProcessStartTime.Read(leftover.Id)!.Value });
        // the same pid with another start time: a recycled pid, not the job's
        SlotJobFile.Save(slot1, new SlotJobRecord { JobId = "bbbbbbbbbbbb", ProcessGroupId = bystander.Id, StartTicks = ProcessStartTime.Read(bystander.Id)!.Value - 1 });

        var leftovers = SlotJobFile.KillLeftovers(_temp.Combine("slots"), new RunnerLog(TextWriter.Null));

        Assert.Equal(["aaaaaaaaaaaa", "bbbbbbbbbbbb"], leftovers.Select(r => r.JobId).Order());
        Assert.True(leftover.WaitForExit(TimeSpan.FromSeconds(10)));
        Assert.False(bystander.HasExited);
        Assert.Null(SlotJobFile.Load(slot0));
        bystander.Kill();
    }

    [Fact]
    public async Task ARestartedRunnerAlsoKillsTheProcessesOfTheJobThatLeftItsGroup()
    {
        var slot = Directory.CreateDirectory(_temp.Combine("slots", "0")).FullName;
        var marked = new ProcessStartInfo("setsid", ["sleep", "600"]) { UseShellExecute = false };
        marked.Environment["DSTACK_JOB_ID"] = "dddddddddddd";
        marked.Environment["DSTACK_JOB_ATTEMPT"] = "3";
        using var stray = Process.Start(marked)!;
        await Wait.UntilAsync(() => ProcessTable.HasEnvironmentEntries(stray.Id, [[.. "DSTACK_JOB_ATTEMPT=3"u8]]), TimeSpan.FromSeconds(5), "the process to start");
        // the group leader is long gone (a start time that does not match): only the marker finds the stray
        SlotJobFile.Save(slot, new SlotJobRecord { JobId = "dddddddddddd", Attempt = 3, ProcessGroupId = stray.Id, StartTicks = 1 });
        var log = new StringWriter();

        SlotJobFile.KillLeftovers(_temp.Combine("slots"), new RunnerLog(log));

        Assert.True(stray.WaitForExit(TimeSpan.FromSeconds(10)));
        Assert.Contains("killed 1 process(es) of job dddddddddddd outside its group", log.ToString());
    }

    public void Dispose() => _temp.Dispose();
}
