using Dstack.Contracts.Jobs;
using Dstack.Core.Jobs;

namespace Dstack.Core.Tests;

public class RunStatusRuleTests
{
    [Theory]
    [InlineData(JobStatus.Done, new[] { JobStatus.Done, JobStatus.Done })]
    [InlineData(JobStatus.Running, new[] { JobStatus.Done, JobStatus.Submitted })]
    [InlineData(JobStatus.Running, new[] { JobStatus.Uploading, JobStatus.Submitted })]
    [InlineData(JobStatus.Submitted, new[] { JobStatus.Submitted, JobStatus.Submitted })]
    [InlineData(JobStatus.Failed, new[] { JobStatus.Done, JobStatus.Failed, JobStatus.Failed })]
    [InlineData(JobStatus.Stopping, new[] { JobStatus.Stopping, JobStatus.Running })]
    [InlineData(JobStatus.Aborting, new[] { JobStatus.Stopping, JobStatus.Aborting })]
    [InlineData(JobStatus.Stopped, new[] { JobStatus.Done, JobStatus.Stopped })]
    [InlineData(JobStatus.Failed, new[] { JobStatus.Aborted, JobStatus.Failed })]
    public void Derive_FollowsTheWrittenRule(JobStatus expected, JobStatus[] jobs) =>
        Assert.Equal(expected, RunStatusRule.Derive(jobs));
}
