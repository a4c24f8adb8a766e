using Dstack.Contracts.Jobs;
using Dstack.Core.Jobs;

namespace Dstack.Core.Tests.Jobs;

public class JobStateMachineTests
{
    // The lifecycle as DESIGN.md tells it, written out independently of the implementation's table.
    private static readonly (JobStatus From, JobStatus To)[] Allowed =
    [
        (JobStatus.Submitted, JobStatus.Running),    // a runner leased it
        (JobStatus.Submitted, JobStatus.Failed),     // a dependency failed, or it can never start
        (JobStatus.Submitted, JobStatus.Stopped),    // stopped before it started
        (JobStatus.Submitted, JobStatus.Aborted),    // aborted before it started
        (JobStatus.Running, JobStatus.Uploading),    // commands finished, artifacts go up
        (JobStatus.Running, JobStatus.Done),         // commands finished, nothing to upload
        (JobStatus.Running, JobStatus.Failed),
        (JobStatus.Running, JobStatus.Stopping),
        (JobStatus.Running, JobStatus.Aborting),
        (JobStatus.Uploading, JobStatus.Done),
        (JobStatus.Uploading, JobStatus.Failed),
        (JobStatus.Uploading, JobStatus.Stopping),
        (JobStatus.Uploading, JobStatus.Aborting),
        (JobStatus.Stopping, JobStatus.Stopped),
        (JobStatus.Stopping, JobStatus.Done),        // finished on its own before the stop order reached the runner
        (JobStatus.Stopping, JobStatus.Failed),
        (JobStatus.Stopping, JobStatus.Aborting),    // abort while a stop is under way
        (JobStatus.Aborting, JobStatus.Aborted),
        (JobStatus.Aborting, JobStatus.Failed),
        (JobStatus.Stopped, JobStatus.Submitted),    // resume
    ];

    public static TheoryData<JobStatus, JobStatus> AllowedTransitions()
    {
        var data = new TheoryData<JobStatus, JobStatus>();
        foreach (var (from, to) in Allowed) data.Add(from, to);
        return data;
    }

    public static TheoryData<JobStatus, JobStatus> RefusedTransitions()
    {
        var data = new TheoryData<JobStatus, JobStatus>();
        foreach (var from in Enum.GetValues<JobStatus>())
        {
            foreach (var to in Enum.GetValues<JobStatus>())
            {
                if (!Allowed.Contains((from, to))) data.Add(from, to);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AllowedTransitions))]
    public void ATransitionOfTheLifecycle_IsAllowed(JobStatus from, JobStatus to)
    {
        Assert.True(JobStateMachine.IsAllowed(from, to));
        Assert.Contains(from, JobStateMachine.AllowedFrom(to));
    }

    [Theory]
    [MemberData(nameof(RefusedTransitions))]
    public void EveryOtherTransition_IsRefused(JobStatus from, JobStatus to)
    {
        Assert.False(JobStateMachine.IsAllowed(from, to));
        Assert.DoesNotContain(from, JobStateMachine.AllowedFrom(to));
    }

    [Fact]
    public void TheRefusedList_CoversEveryOtherPairOfStatuses() =>
        Assert.Equal(81 - Allowed.Length, RefusedTransitions().Count);

    [Fact]
    public void AFinishedJob_OnlyEverMovesByResumingAStoppedOne()
    {
        var fromFinished = Enum.GetValues<JobStatus>()
            .SelectMany(to => JobStateMachine.AllowedFrom(to).Where(from => from.IsFinished()).Select(from => (from, to)));

        Assert.Equal([(JobStatus.Stopped, JobStatus.Submitted)], fromFinished);
    }

    [Fact]
    public void NoStatus_TransitionsToItself() =>
        Assert.All(Enum.GetValues<JobStatus>(), s => Assert.False(JobStateMachine.IsAllowed(s, s)));
}
