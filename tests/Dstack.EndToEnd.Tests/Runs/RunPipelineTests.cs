using Dstack.Contracts.Jobs;
using Dstack.EndToEnd.Tests.Infrastructure;

namespace Dstack.EndToEnd.Tests.Runs;

public class RunPipelineTests
{
    private const string Pipeline = """
        workflows:
          - name: prepare
            commands:
              - mkdir -p data/${{ model }}
              - echo "weights of $model" > data/${{ model }}/weights.txt
            artifacts:
              - data/${{ model }}
          - name: train
            depends-on: [prepare]
            environment:
              EXTRA: extra-value
            commands:
              - test -f data/${{ model }}/weights.txt
              - mkdir -p out
              - echo "$variables_as_args" > out/args.txt
              - echo "$MODEL $BATCH_SIZE $LEARNING_RATE $RUN_NAME $JOB_ID $EXTRA" > out/env.txt
              - greeting=hello
              - echo "$greeting from $run_name" > out/greeting.txt
            artifacts: [out]
        """;

    private const string Variables = """
        variables:
          global:
            model: 124M
          train:
            batch-size: 4
            learning_rate: 0.00002
        """;

    [Fact]
    public void Run_Follow_RunsTheDependencyClosureInOrder_AndExitsZeroWhenDone()
    {
        using var sandbox = new DstackSandbox().WithWorkflows(Pipeline, Variables).Initialised();

        var result = sandbox.Ok("run", "train", "-f");

        var run = sandbox.Status("--last", "1").Single();
        Assert.Equal(JobStatus.Done, run.Status);
        Assert.Equal("train", run.Workflow);
        Assert.Equal(["prepare", "train"], run.Jobs.Select(j => j.Workflow));
        Assert.All(run.Jobs, j => Assert.Equal(JobStatus.Done, j.Status));
        Assert.Contains(run.RunName, result.Stdout);
    }

    [Fact]
    public void Run_SubstitutesAndExportsVariables_WithOverridesInBothForms()
    {
        using var sandbox = new DstackSandbox().WithWorkflows(Pipeline, Variables).Initialised();
        var runName = sandbox.Submit("train", "--model", "117M", "--batch-size=8");
        var run = sandbox.WaitUntilFinished(runName);
        Assert.Equal(JobStatus.Done, run.Status);

        var train = run.Jobs.Single(j => j.Workflow == "train");
        var output = Path.Combine(sandbox.Root, "out");
        sandbox.Ok("artifacts", train.JobId, "-o", output);

        var args = File.ReadAllText(Path.Combine(output, "out", "args.txt")).Trim();
        Assert.Equal("--model 117M --batch-size 8 --learning_rate 0.00002", args);
        var env = File.ReadAllText(Path.Combine(output, "out", "env.txt")).Trim();
        Assert.Equal($"117M 8 0.00002 {runName} {train.JobId} extra-value", env);
        Assert.Equal($"hello from {runName}", File.ReadAllText(Path.Combine(output, "out", "greeting.txt")).Trim());

        // The override reaches the dependency too: its artifact path used the overridden model.
        var prepare = run.Jobs.Single(j => j.Workflow == "prepare");
        Assert.Matches(@"(?m)^data/117M\s+weights\.txt\s", sandbox.Ok("artifacts", prepare.JobId).Stdout);
        Assert.Equal("117M", run.Variables["model"]);
        Assert.Equal("8", train.Variables["batch-size"]);
        Assert.False(prepare.Variables.ContainsKey("batch-size"));
    }

    [Fact]
    public void Run_CarriesUncommittedChangesAndUntrackedFiles_ToTheJob()
    {
        const string yaml = """
            workflows:
              - name: show
                commands:
                  - mkdir -p out
                  - cp tracked.txt untracked.txt out/
                artifacts: [out]
            """;
        using var sandbox = new DstackSandbox();
        sandbox.Repo.Write("tracked.txt", "committed\n").Write(".gitignore", "ignored.txt\n");
        sandbox.WithWorkflows(yaml).Initialised();
        sandbox.Repo.Write("tracked.txt", "edited, not committed\n").Write("untracked.txt", "new file\n").Write("ignored.txt", "never sent\n");

        var runName = sandbox.Submit("show");
        var run = sandbox.WaitUntilFinished(runName);
        Assert.Equal(JobStatus.Done, run.Status);

        var output = Path.Combine(sandbox.Root, "out");
        sandbox.Ok("artifacts", run.Jobs[0].JobId, "-o", output);
        Assert.Equal("edited, not committed\n", File.ReadAllText(Path.Combine(output, "out", "tracked.txt")));
        Assert.Equal("new file\n", File.ReadAllText(Path.Combine(output, "out", "untracked.txt")));
    }

    [Fact]
    public void Run_RunsIndependentJobsInParallel()
    {
        // Each job waits (bounded) for the other's marker: both finish only if they run at the same time.
        var marker = Path.Combine(Path.GetTempPath(), "dstack-parallel-" + Guid.NewGuid().ToString("N"));
        var yaml = $$"""
            workflows:
              - name: left
                commands:
                  - touch {{marker}}.left
                  - for i in $(seq 1 300); do test -f {{marker}}.right && exit 0; sleep 0.1; done; exit 1
              - name: right
                commands:
                  - touch {{marker}}.right
                  - for i in $(seq 1 300); do test -f {{marker}}.left && exit 0; sleep 0.1; done; exit 1
              - name: both
                depends-on: [left, right]
                commands: [echo both]
            """;
        try
        {
            using var sandbox = new DstackSandbox().WithWorkflows(yaml).Initialised();
            var run = sandbox.WaitUntilFinished(sandbox.Submit("both"));
            Assert.Equal(JobStatus.Done, run.Status);
            Assert.Equal(3, run.Jobs.Count);
        }
        finally
        {
            File.Delete(marker + ".left");
            File.Delete(marker + ".right");
        }
    }

    [Fact]
    public void Status_ShowsTheSeedsTable_WithARowPerJob()
    {
        using var sandbox = new DstackSandbox().WithWorkflows(Pipeline, Variables).Initialised();
        var runName = sandbox.Submit("train", "--model", "117M");
        var run = sandbox.WaitUntilFinished(runName);

        var table = sandbox.Ok("status").Stdout;
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^RUN\s+TAG\s+JOB\s+WORKFLOW\s+VARIABLES\s+SUBMITTED\s+RUNNER\s+STATUS", lines[0]);
        Assert.Contains(lines, l => l.StartsWith(runName, StringComparison.Ordinal) && l.Contains("<none>") && l.Contains("--model 117M") && l.Contains("DONE"));
        foreach (var job in run.Jobs)
        {
            // SUBMITTED is relative: "now" within the first second (a fast run can finish inside it), then "N sec ago".
            Assert.Contains(lines, l => l.Contains(job.JobId) && l.Contains(job.Workflow) && l.Contains("DONE")
                && System.Text.RegularExpressions.Regex.IsMatch(l, @"\b(now|\d+ \w+ ago)\b"));
        }
    }

    [Fact]
    public void StatusJson_UsesUpperCaseStatusesIsoTimesAndNulls()
    {
        using var sandbox = new DstackSandbox().WithWorkflows(Pipeline, Variables).Initialised();
        var runName = sandbox.Submit("train");
        sandbox.WaitUntilFinished(runName);

        var json = sandbox.Ok("status", "--json").Stdout;
        Assert.Contains("\"status\":\"DONE\"", json.Replace(" ", ""));
        Assert.Contains("\"tag\":null", json.Replace(" ", ""));
        Assert.Matches("\"submittedAt\":\\s*\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|\\+00:00)\"", json);
    }

    [Fact]
    public void Status_ListsUnfinishedRuns_ElseTheLastFinished_AndLastNRegardless()
    {
        using var sandbox = new DstackSandbox().WithWorkflows("workflows:\n  - name: a\n    commands: [echo a]\n").Initialised();
        var first = sandbox.Submit("a");
        sandbox.WaitUntilFinished(first);
        var second = sandbox.Submit("a");
        sandbox.WaitUntilFinished(second);

        Assert.Equal([second], sandbox.Status().Select(r => r.RunName));
        Assert.Equal(2, sandbox.Status("--last", "5").Count);
        Assert.NotEqual(first, second);
    }
}
