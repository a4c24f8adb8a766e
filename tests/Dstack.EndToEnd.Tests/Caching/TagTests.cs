using Dstack.Contracts.Jobs;
using Dstack.EndToEnd.Tests.Infrastructure;

namespace Dstack.EndToEnd.Tests.Caching;

public class TagTests
{
    private static string Workflows(RunLedger ledger) => $$"""
        workflows:
          - name: prepare
            commands:
              - {{ledger.Record("prepare")}}
              - mkdir -p data && echo "prepared by $RUN_NAME" > data/origin.txt
            artifacts: [data]
          - name: train
            depends-on: [prepare:latest]
            commands:
              - {{ledger.Record("train")}}
              - echo "training on data $(cat data/origin.txt)"
          - name: other
            depends-on: [prepare:nightly]
            commands: [echo other]
          - name: alone
            commands:
              - {{ledger.Record("alone")}}
        """;

    [Fact]
    public void ATaggedRun_ShowsItsTag_AndATagDependencyUsesItsArtifacts_WithoutRunningTheWorkflow()
    {
        using var sandbox = new DstackSandbox();
        var ledger = new RunLedger(sandbox);
        sandbox.WithWorkflows(Workflows(ledger)).Initialised();
        var prepared = sandbox.WaitUntilFinished(sandbox.Submit("prepare"));

        var tagged = sandbox.Ok("tag", prepared.RunName, "latest");
        Assert.Contains("latest", tagged.Stdout);
        Assert.Equal("latest", sandbox.Run(prepared.RunName).Tag);
        var table = sandbox.Ok("status", prepared.RunName).Stdout;
        Assert.Matches($@"{prepared.RunName}\s+latest", table);

        // A change to prepare's commands does not matter: the tag names a job that already ran.
        sandbox.Repo.Write(".dstack/workflows.yaml", Workflows(ledger).Replace("prepared by", "made by", StringComparison.Ordinal)).CommitAll().Push();
        var training = sandbox.WaitUntilFinished(sandbox.Submit("train"));

        Assert.Equal(JobStatus.Done, training.Status);
        Assert.Equal(["train"], training.Jobs.Select(j => j.Workflow));
        Assert.Equal([prepared.Jobs.Single().JobId], training.Jobs.Single().DependsOn);
        Assert.Contains($"training on data prepared by {prepared.RunName}", sandbox.Ok("logs", training.RunName).Stdout);
        Assert.Equal("prepare=1, train=1", ledger.Summary("prepare", "train"));
    }

    [Fact]
    public void AnUnknownTagInTheRunsClosure_IsRefusedBeforeAnythingRuns_ButOneOutsideItDoesNotMatter()
    {
        using var sandbox = new DstackSandbox();
        var ledger = new RunLedger(sandbox);
        sandbox.WithWorkflows(Workflows(ledger)).Initialised();

        var refused = sandbox.Dstack("run", "train");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("latest", refused.Stderr);
        Assert.Contains("dstack tag", refused.Stderr);
        Assert.Empty(sandbox.Status("--last", "5"));
        Assert.Equal(JobStatus.Done, sandbox.WaitUntilFinished(sandbox.Submit("alone")).Status);
        Assert.Equal("train=0, alone=1", ledger.Summary("train", "alone"));
    }

    [Fact]
    public void Tagging_RefusesAnUnknownRun_AndATagAnotherRunHas_AndUntagFreesIt()
    {
        using var sandbox = new DstackSandbox();
        var ledger = new RunLedger(sandbox);
        sandbox.WithWorkflows(Workflows(ledger)).Initialised();
        var one = sandbox.WaitUntilFinished(sandbox.Submit("prepare"));
        var two = sandbox.WaitUntilFinished(sandbox.Submit("alone"));
        sandbox.Ok("tag", one.RunName, "latest");

        var unknown = sandbox.Dstack("tag", "no-such-run-1", "latest");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("no-such-run-1", unknown.Stderr);

        var taken = sandbox.Dstack("tag", two.RunName, "latest");
        Assert.NotEqual(0, taken.ExitCode);
        Assert.Contains(one.RunName, taken.Stderr);
        Assert.Null(sandbox.Run(two.RunName).Tag);

        var badName = sandbox.Dstack("tag", two.RunName, "no spaces");
        Assert.NotEqual(0, badName.ExitCode);

        sandbox.Ok("untag", "latest");
        Assert.Null(sandbox.Run(one.RunName).Tag);
        sandbox.Ok("tag", two.RunName, "latest");
        Assert.Equal("latest", sandbox.Run(two.RunName).Tag);

        var untagUnknown = sandbox.Dstack("untag", "nightly");
        Assert.NotEqual(0, untagUnknown.ExitCode);
        Assert.Contains("nightly", untagUnknown.Stderr);
    }

    [Fact]
    public void TwoRepositories_MayEachHaveTheSameTag()
    {
        using var sandbox = new DstackSandbox();
        var ledger = new RunLedger(sandbox);
        sandbox.WithWorkflows(Workflows(ledger)).Initialised();
        var secondRoot = Path.Combine(sandbox.Root, "second");
        Directory.CreateDirectory(secondRoot);
        var second = new TestRepository(secondRoot, sandbox.Environment);
        second.Write(".dstack/workflows.yaml", "workflows:\n  - name: hello\n    commands: [echo hello]\n").CommitAll().Push();
        Assert.Equal(0, sandbox.DstackIn(second.Path, "init").ExitCode);

        var ours = sandbox.WaitUntilFinished(sandbox.Submit("alone"));
        var theirsName = sandbox.DstackIn(second.Path, "run", "hello").Stdout.Trim().Split('\n')[^1].Trim();
        sandbox.Ok("tag", ours.RunName, "latest");
        var theirs = sandbox.DstackIn(second.Path, "tag", theirsName, "latest");

        Assert.True(theirs.ExitCode == 0, theirs.ToString());
        Assert.Equal("latest", sandbox.Run(ours.RunName).Tag);
    }
}
