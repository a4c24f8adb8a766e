using Dstack.Cli.Running;
using Dstack.Cli.Terminal;
using Dstack.Contracts.Runs;

namespace Dstack.Cli.Tests.Running;

public class DryRunTableTests
{
    private static string[] Render(params JobPlanPreview[] jobs)
    {
        var writer = new StringWriter();
        DryRunTable.Build(new RunPlanPreview { Workflow = jobs[^1].Workflow, Jobs = jobs }).WriteTo(writer);
        return writer.ToString().TrimEnd('\n').Split('\n');
    }

    [Fact]
    public void EachJobShowsWhetherItIsReusedAwaitedOrRunAndWhy()
    {
        var lines = Render(
            new JobPlanPreview { Workflow = "download-model", Decision = CacheDecision.Reuse, CacheKey = "k1", JobId = "53881a211647", RunName = "fast-rabbit-1" },
            new JobPlanPreview { Workflow = "encode-dataset", Decision = CacheDecision.Await, CacheKey = "k2", JobId = "0a1b2c3d4e5f", RunName = "slow-owl-2" },
            new JobPlanPreview
            {
                Workflow = "finetune-model",
                Decision = CacheDecision.Run,
                CacheKey = "k3",
                ClosestJobId = "ffffffffffff",
                Differences = ["variable model: 117M -> 345M", "code: uncommitted changes"],
            });

        Assert.Equal(4, lines.Length);
        Assert.Matches(@"^WORKFLOW\s+DECISION\s+JOB\s+WHY$", lines[0]);
        Assert.Matches(@"^download-model\s+reuse\s+53881a211647\s+DONE in run fast-rabbit-1$", lines[1]);
        Assert.Matches(@"^encode-dataset\s+wait for\s+0a1b2c3d4e5f\s+running in run slow-owl-2$", lines[2]);
        Assert.Matches(@"^finetune-model\s+run\s+-\s+variable model: 117M -> 345M; code: uncommitted changes \(closest: job ffffffffffff\)$", lines[3]);
        var why = lines[0].IndexOf("WHY", StringComparison.Ordinal);
        Assert.All(lines.Skip(1), l => Assert.NotEqual(' ', l[why]));
    }

    [Fact]
    public void AJobWithNoEarlierJobSaysSoWithoutAClosestJob()
    {
        var lines = Render(new JobPlanPreview { Workflow = "prepare", Decision = CacheDecision.Run, CacheKey = "k", Differences = ["no earlier job of this workflow"] });
        Assert.Matches(@"^prepare\s+run\s+-\s+no earlier job of this workflow$", lines[1]);
    }

    [Fact]
    public void NoCacheIsGivenAsTheReasonToRun()
    {
        var job = new JobPlanPreview { Workflow = "prepare", Decision = CacheDecision.Run, CacheKey = "k", ClosestJobId = "aaaaaaaaaaaa", Differences = ["--no-cache"] };
        Assert.Equal("--no-cache (closest: job aaaaaaaaaaaa)", DryRunTable.Why(job));
    }
}
