using Dstack.Core.Caching;
using Dstack.Core.Planning;
using Dstack.Core.Tests.TestSupport;
using Dstack.Core.Workflows;

namespace Dstack.Core.Tests.Planning;

public sealed class KeyDefinitionTests
{
    private const string Workflows = """
        workflows:
          - name: train
            image: python:${{ python }}
            working_dir: src
            environment: {OUT: out/$run_name}
            resources: {gpu: "${{ gpus }}"}
            commands:
              - python3 train.py --run $run_name --job ${{ job_id }} --model $model
            artifacts:
              - "out/${{ run_name }}"
        """;

    private const string Variables = """
        variables:
          global:
            model: 117M
            python: "3.11"
            gpus: "2"
        """;

    private static PlannedJob Plan(string runName, string workflows = Workflows, string variables = Variables, Dictionary<string, string>? overrides = null)
    {
        var n = 0;
        var set = WorkflowSetParser.Parse(DstackFiles.Workflows(workflows, variables));
        return RunPlanner.Plan(set, "train", overrides ?? [], runName, () => $"{++n:x12}{runName.Length}"[..12]).Jobs[^1];
    }

    [Fact]
    public void RunNameAndJobId_StayAsWritten_WhileEveryVariableIsSubstituted()
    {
        var job = Plan("fast-rabbit-1");

        Assert.Equal(["python3 train.py --run ${{ run_name }} --job ${{ job_id }} --model 117M"], job.KeyDefinition.Commands);
        Assert.Equal(["python3 train.py --run fast-rabbit-1 --job 000000000001 --model 117M"], job.Commands);
        Assert.Equal("python:3.11", job.KeyDefinition.Image);
        Assert.Equal("src", job.KeyDefinition.WorkingDir);
        Assert.Equal(["out/${{ run_name }}"], job.KeyDefinition.Artifacts);
        Assert.Equal("2", job.KeyDefinition.Resources!.GpuCount);
        Assert.Equal("out/${{ run_name }}", job.KeyDefinition.Environment["OUT"]);
        Assert.Equal(("${{ run_name }}", "${{ job_id }}", "117M"),
            (job.KeyDefinition.Environment["RUN_NAME"], job.KeyDefinition.Environment["JOB_ID"], job.KeyDefinition.Environment["MODEL"]));
    }

    [Fact]
    public void TwoRunsOfTheSameWork_HaveEqualDefinitions()
    {
        var one = Plan("fast-rabbit-1");
        var two = Plan("slow-turtle-22");

        Assert.NotEqual(one.Commands, two.Commands);
        Assert.Equal(Document(one.KeyDefinition), Document(two.KeyDefinition));
    }

    [Fact]
    public void AnOverride_ChangesTheDefinition() =>
        Assert.NotEqual(Document(Plan("r").KeyDefinition), Document(Plan("r", overrides: new() { ["model"] = "345M" }).KeyDefinition));

    [Fact]
    public void AWorkflowVariableNamedRunName_IsARealVariable_AndIsSubstituted()
    {
        var job = Plan("fast-rabbit-1", variables: Variables + "\n    run_name: baseline\n");

        Assert.Equal(["python3 train.py --run baseline --job ${{ job_id }} --model 117M"], job.KeyDefinition.Commands);
        Assert.Equal(["out/baseline"], job.KeyDefinition.Artifacts);
        Assert.Equal("baseline", job.KeyDefinition.Environment["RUN_NAME"]);
    }

    private static string Document(JobDefinition definition) => CacheKeyDocument.Write(new CacheKeyParts
    {
        RepoUrl = "u",
        Code = new Dictionary<string, string>(),
        Definition = definition,
        Variables = new Dictionary<string, string>(),
        Dependencies = new Dictionary<string, string>(),
    });
}
