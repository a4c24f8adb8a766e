using Dstack.Contracts.Jobs;
using Dstack.EndToEnd.Tests.Infrastructure;

namespace Dstack.EndToEnd.Tests.Caching;

public class CacheReuseTests
{
    private static string Pipeline(RunLedger ledger) => $$"""
        workflows:
          - name: prepare
            commands:
              - {{ledger.Record("prepare")}}
              - mkdir -p data && echo "data of size $size" > data/data.txt
            artifacts: [data]
          - name: train
            depends-on: [prepare]
            commands:
              - {{ledger.Record("train")}}
              - mkdir -p model && echo "trained on $(cat data/data.txt) for $epochs epochs" > model/model.txt
            artifacts: [model]
          - name: evaluate
            depends-on: [train]
            commands:
              - {{ledger.Record("evaluate")}}
              - echo "evaluating $(cat model/model.txt)"
        """;

    private const string Variables = """
        variables:
          prepare:
            size: 10
          train:
            epochs: 2
        """;

    [Fact]
    public void AnUnchangedRerun_RunsNothing_AndListsTheReusedJobs_WithTheirLogsAndArtifacts()
    {
        using var sandbox = new DstackSandbox();
        var ledger = new RunLedger(sandbox);
        sandbox.WithWorkflows(Pipeline(ledger), Variables).Initialised();
        var first = sandbox.WaitUntilFinished(sandbox.Submit("evaluate"));
        Assert.Equal(JobStatus.Done, first.Status);
        Assert.All(first.Jobs, j => Assert.False(j.Reused));

        var second = sandbox.WaitUntilFinished(sandbox.Submit("evaluate"));

        Assert.Equal("prepare=1, train=1, evaluate=1", ledger.Summary("prepare", "train", "evaluate"));
        Assert.Equal(JobStatus.Done, second.Status);
        Assert.NotEqual(first.RunName, second.RunName);
        Assert.Equal(first.Jobs.Select(j => j.JobId), second.Jobs.Select(j => j.JobId));
        Assert.All(second.Jobs, j => Assert.True(j.Reused, $"job {j.Workflow} is not marked reused"));
        Assert.All(second.Jobs, j => Assert.Equal(first.RunName, j.RunName));
        Assert.Equal(first.Jobs.Select(j => j.CacheKey), second.Jobs.Select(j => j.CacheKey));

        var table = sandbox.Ok("status", second.RunName).Stdout;
        Assert.Contains("reused", table);
        Assert.Contains("evaluating trained on data of size 10 for 2 epochs", sandbox.Ok("logs", second.RunName).Stdout);
        var output = Path.Combine(sandbox.Root, "download");
        sandbox.Ok("artifacts", second.RunName, "-o", output);
        Assert.Contains("for 2 epochs", File.ReadAllText(Path.Combine(output, "train", "model", "model.txt")));
    }

    [Fact]
    public void AChangedVariable_RerunsOnlyTheJobsThatUseIt_AndTheirDependents()
    {
        using var sandbox = new DstackSandbox();
        var ledger = new RunLedger(sandbox);
        sandbox.WithWorkflows(Pipeline(ledger), Variables).Initialised();
        var first = sandbox.WaitUntilFinished(sandbox.Submit("evaluate"));

        var second = sandbox.WaitUntilFinished(sandbox.Submit("evaluate", "--epochs", "3"));

        Assert.Equal("prepare=1, train=2, evaluate=2", ledger.Summary("prepare", "train", "evaluate"));
        Assert.Equal(JobStatus.Done, second.Status);
        var prepare = second.Jobs.Single(j => j.Workflow == "prepare");
        Assert.True(prepare.Reused);
        Assert.Equal(first.Jobs.Single(j => j.Workflow == "prepare").JobId, prepare.JobId);
        Assert.All(second.Jobs.Where(j => j.Workflow != "prepare"), j => Assert.False(j.Reused));
        Assert.Contains("for 3 epochs", sandbox.Ok("logs", second.RunName).Stdout);

        // The run with epochs=3 is now cached too, and the first one still is.
        sandbox.WaitUntilFinished(sandbox.Submit("evaluate", "--epochs", "3"));
        sandbox.WaitUntilFinished(sandbox.Submit("evaluate"));
        Assert.Equal("prepare=1, train=2, evaluate=2", ledger.Summary("prepare", "train", "evaluate"));
    }

    [Fact]
    public void AnUncommittedEdit_OrAnUntrackedFile_Reruns_AndRevertingTheEditReusesAgain()
    {
        using var sandbox = new DstackSandbox();
        var ledger = new RunLedger(sandbox);
        sandbox.Repo.Write("src/code.py", "print(1)\n");
        sandbox.WithWorkflows(Pipeline(ledger), Variables).Initialised();
        sandbox.WaitUntilFinished(sandbox.Submit("prepare"));

        sandbox.Repo.Write("src/code.py", "print(2)\n");
        sandbox.WaitUntilFinished(sandbox.Submit("prepare"));
        Assert.Equal(2, ledger.Count("prepare"));

        sandbox.Repo.Write("src/code.py", "print(1)\n");
        var reverted = sandbox.WaitUntilFinished(sandbox.Submit("prepare"));
        Assert.Equal(2, ledger.Count("prepare"));
        Assert.True(reverted.Jobs.Single().Reused);

        sandbox.Repo.Write("notes.txt", "an untracked file\n");
        sandbox.WaitUntilFinished(sandbox.Submit("prepare"));
        Assert.Equal(3, ledger.Count("prepare"));

        // Touching the untracked file without changing it keeps the key.
        File.SetLastWriteTimeUtc(Path.Combine(sandbox.Repo.Path, "notes.txt"), DateTime.UtcNow.AddMinutes(5));
        sandbox.WaitUntilFinished(sandbox.Submit("prepare"));
        Assert.Equal(3, ledger.Count("prepare"));
    }

    [Fact]
    public void ACommitThatChangesNoFile_DoesNotRerun()
    {
        using var sandbox = new DstackSandbox();
        var ledger = new RunLedger(sandbox);
        sandbox.WithWorkflows(Pipeline(ledger), Variables).Initialised();
        sandbox.WaitUntilFinished(sandbox.Submit("prepare"));

        sandbox.Repo.CommitAll("an empty commit").Push();
        sandbox.WaitUntilFinished(sandbox.Submit("prepare"));

        Assert.Equal(1, ledger.Count("prepare"));
    }

    [Fact]
    public void AnEditOutsideAWorkflowsIncludedPaths_DoesNotRerunIt_AndAnEditInsideDoes()
    {
        using var sandbox = new DstackSandbox();
        var ledger = new RunLedger(sandbox);
        var yaml = $$"""
            workflows:
              - name: narrow
                depends-on:
                  repo:
                    include: [src]
                commands:
                  - {{ledger.Record("narrow")}}
              - name: wide
                depends-on:
                  workflows: [narrow]
                commands:
                  - {{ledger.Record("wide")}}
            """;
        sandbox.Repo.Write("src/model.py", "v1\n").Write("docs/readme.md", "v1\n");
        sandbox.WithWorkflows(yaml).Initialised();
        sandbox.WaitUntilFinished(sandbox.Submit("wide"));

        sandbox.Repo.Write("docs/readme.md", "v2\n").CommitAll().Push();
        var docsEdited = sandbox.WaitUntilFinished(sandbox.Submit("wide"));
        Assert.Equal("narrow=1, wide=2", ledger.Summary("narrow", "wide"));
        Assert.True(docsEdited.Jobs.Single(j => j.Workflow == "narrow").Reused);

        sandbox.Repo.Write("docs/readme.md", "v3, uncommitted\n");
        sandbox.WaitUntilFinished(sandbox.Submit("wide"));
        Assert.Equal("narrow=1, wide=3", ledger.Summary("narrow", "wide"));

        sandbox.Repo.Write("src/model.py", "v2, uncommitted\n");
        sandbox.WaitUntilFinished(sandbox.Submit("wide"));
        Assert.Equal("narrow=2, wide=4", ledger.Summary("narrow", "wide"));

        // The key is the commit's objects plus what is uncommitted, as the issue defines it: committing the change
        // moves it from one part to the other, so the job runs once more, then is reused.
        sandbox.Repo.CommitAll().Push();
        sandbox.WaitUntilFinished(sandbox.Submit("narrow"));
        sandbox.WaitUntilFinished(sandbox.Submit("narrow"));
        Assert.Equal(3, ledger.Count("narrow"));

        sandbox.Repo.Write("src/new.py", "v1\n").CommitAll().Push();
        sandbox.WaitUntilFinished(sandbox.Submit("narrow"));
        Assert.Equal(4, ledger.Count("narrow"));
    }

    [Fact]
    public void NoCache_RunsEveryJobAgain()
    {
        using var sandbox = new DstackSandbox();
        var ledger = new RunLedger(sandbox);
        sandbox.WithWorkflows(Pipeline(ledger), Variables).Initialised();
        sandbox.WaitUntilFinished(sandbox.Submit("evaluate"));

        var again = sandbox.WaitUntilFinished(sandbox.Submit("evaluate", "--no-cache"));

        Assert.Equal("prepare=2, train=2, evaluate=2", ledger.Summary("prepare", "train", "evaluate"));
        Assert.All(again.Jobs, j => Assert.False(j.Reused));
    }

    [Fact]
    public void DryRun_SaysWhichJobsWouldBeReused_AndWhatDiffersForTheOthers_WithoutRunningAnything()
    {
        using var sandbox = new DstackSandbox();
        var ledger = new RunLedger(sandbox);
        sandbox.WithWorkflows(Pipeline(ledger), Variables).Initialised();
        var never = sandbox.Ok("run", "evaluate", "--dry-run").Stdout;
        Assert.Contains("no earlier job", never);
        var first = sandbox.WaitUntilFinished(sandbox.Submit("evaluate"));

        var dry = sandbox.Ok("run", "evaluate", "--epochs", "5", "--dry-run").Stdout;

        var prepareLine = Line(dry, "prepare");
        Assert.Contains("reuse", prepareLine);
        Assert.Contains(first.Jobs.Single(j => j.Workflow == "prepare").JobId, prepareLine);
        Assert.Contains("variable epochs: 2 -> 5", Line(dry, "train"));
        Assert.Contains("dependency train", Line(dry, "evaluate"));
        Assert.Contains("--no-cache", sandbox.Ok("run", "evaluate", "--no-cache", "--dry-run").Stdout);
        sandbox.Repo.Write("extra.txt", "untracked\n");
        Assert.Contains("code: uncommitted changes", Line(sandbox.Ok("run", "prepare", "--dry-run").Stdout, "prepare"));

        Assert.Equal("prepare=1, train=1, evaluate=1", ledger.Summary("prepare", "train", "evaluate"));
        Assert.Equal([first.RunName], sandbox.Status("--last", "10").Select(r => r.RunName));
    }

    [Fact]
    public void ACacheHitWhoseArtifactsAreGone_IsNotUsed_AndTheJobRunsAgain()
    {
        using var sandbox = new DstackSandbox();
        var ledger = new RunLedger(sandbox);
        sandbox.WithWorkflows(Pipeline(ledger), Variables).Initialised();
        sandbox.WaitUntilFinished(sandbox.Submit("train"));
        foreach (var blob in Directory.EnumerateFiles(Path.Combine(sandbox.Home, "blobs"), "*", SearchOption.AllDirectories)) File.Delete(blob);

        Assert.Contains("artifacts are gone", Line(sandbox.Ok("run", "train", "--dry-run").Stdout, "prepare"));
        var again = sandbox.WaitUntilFinished(sandbox.Submit("train"));

        Assert.Equal(JobStatus.Done, again.Status);
        Assert.Equal("prepare=2, train=2", ledger.Summary("prepare", "train"));
    }

    [Fact]
    public void AJobWithTheSameKeyThatIsStillRunning_IsAwaited_NotStartedTwice()
    {
        using var sandbox = new DstackSandbox();
        var ledger = new RunLedger(sandbox);
        var gate = Path.Combine(sandbox.Root, "gate");
        var yaml = $$"""
            workflows:
              - name: slow
                commands:
                  - {{ledger.Record("slow")}}
                  - while [ ! -f {{gate}} ]; do sleep 0.05; done
              - name: after
                depends-on: [slow]
                commands:
                  - {{ledger.Record("after")}}
            """;
        sandbox.WithWorkflows(yaml).Initialised();
        var firstName = sandbox.Submit("slow");
        Eventually.Until(() => ledger.Count("slow") == 1, TimeSpan.FromSeconds(60), "the first job to start");

        var secondName = sandbox.Submit("after");
        var second = sandbox.Run(secondName);
        var first = sandbox.Run(firstName);
        var awaited = second.Jobs.Single(j => j.Workflow == "slow");
        Assert.Equal(first.Jobs.Single().JobId, awaited.JobId);
        Assert.True(awaited.Reused);
        File.WriteAllText(gate, "");

        Assert.Equal(JobStatus.Done, sandbox.WaitUntilFinished(secondName).Status);
        Assert.Equal(JobStatus.Done, sandbox.WaitUntilFinished(firstName).Status);
        Assert.Equal("slow=1, after=1", ledger.Summary("slow", "after"));
    }

    [Fact]
    public void AFailedJob_IsNeverReused()
    {
        using var sandbox = new DstackSandbox();
        var ledger = new RunLedger(sandbox);
        var flag = Path.Combine(sandbox.Root, "fail-now");
        File.WriteAllText(flag, "");
        var yaml = $$"""
            workflows:
              - name: flaky
                commands:
                  - {{ledger.Record("flaky")}}
                  - test ! -f {{flag}}
            """;
        sandbox.WithWorkflows(yaml).Initialised();
        Assert.Equal(JobStatus.Failed, sandbox.WaitUntilFinished(sandbox.Submit("flaky")).Status);
        File.Delete(flag);

        var again = sandbox.WaitUntilFinished(sandbox.Submit("flaky"));

        Assert.Equal(JobStatus.Done, again.Status);
        Assert.False(again.Jobs.Single().Reused);
        Assert.Equal(2, ledger.Count("flaky"));
    }

    private static string Line(string output, string workflow) =>
        output.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith(workflow + " ", StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"no line for {workflow} in:\n{output}");
}
