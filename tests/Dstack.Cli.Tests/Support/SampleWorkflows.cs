using Dstack.Contracts.Runs;
using Dstack.Core.Workflows;

namespace Dstack.Cli.Tests.Support;

/// <summary>The seed's GPT-2 workflow files, small.</summary>
public static class SampleWorkflows
{
    public const string WorkflowsYaml = """
        workflows:
          - name: download-model
            commands:
              - echo ${{ model }}
            artifacts: [models]
          - name: encode-dataset
            commands:
              - echo encode
          - name: finetune-model
            depends-on: [download-model, encode-dataset]
            commands:
              - echo train $variables_as_args
        """;

    public const string VariablesYaml = """
        variables:
          global:
            model: 124M
            models_dir: model
          finetune-model:
            learning_rate: 0.00002
        """;

    public static WorkflowSet Parse() => WorkflowSetParser.Parse(
    [
        new WorkflowFileContent(".dstack/workflows.yaml", WorkflowsYaml),
        new WorkflowFileContent(".dstack/variables.yaml", VariablesYaml),
    ]);

    public static void WriteTo(GitRepoFixture repo)
    {
        repo.Write(".dstack/workflows.yaml", WorkflowsYaml);
        repo.Write(".dstack/variables.yaml", VariablesYaml);
    }
}
