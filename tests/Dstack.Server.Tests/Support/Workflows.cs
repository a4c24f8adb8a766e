using Dstack.Contracts.Runs;

namespace Dstack.Server.Tests.Support;

/// <summary>Workflow files for tests, as `dstack run` sends them.</summary>
public static class Workflows
{
    public const string RepoUrl = "file:///tmp/dstack-tests/example.git";

    /// <summary>The seed's shape: finetune-model depends on download-model and encode-dataset.</summary>
    public const string Pipeline = """
        workflows:
          - name: download-model
            commands:
              - echo downloading $model
            artifacts: [models]
          - name: encode-dataset
            commands:
              - echo encoding
            artifacts: [dataset]
          - name: finetune-model
            depends-on: [download-model, encode-dataset]
            commands:
              - echo training $model
            artifacts: [checkpoint]
          - name: containerised
            image: python:3.11
            commands:
              - python3 --version
          - name: on-gpu
            resources:
              gpu: 1
            commands:
              - nvidia-smi
          - name: gpu-container
            image: python:3.11
            resources:
              gpu: 1
            commands:
              - nvidia-smi
          - name: from-tag
            depends-on: [download-model:best]
            commands:
              - ls models
        """;

    public const string Variables = """
        variables:
          global:
            model: 124M
        """;

    public static IReadOnlyList<WorkflowFileContent> Files(string workflows = Pipeline) =>
        [new(".dstack/workflows.yaml", workflows), new(".dstack/variables.yaml", Variables)];

    /// <summary>
    /// A run request. Without <paramref name="code"/> each request carries code of its own (a fresh tree), so it never
    /// matches an earlier run's cache keys: tests of other things see new jobs at every submission, as before caching.
    /// </summary>
    public static SubmitRunRequest Run(string workflow, string repoUrl = RepoUrl, IReadOnlyDictionary<string, string>? variables = null, string workflows = Pipeline,
        RepoCode? code = null) => new()
        {
            RepoUrl = repoUrl,
            Branch = "main",
            Commit = "0123456789abcdef0123456789abcdef01234567",
            WorkflowFiles = Files(workflows),
            Workflow = workflow,
            Variables = variables ?? new Dictionary<string, string>(),
            Code = code ?? Code(Guid.NewGuid().ToString("N")),
        };

    /// <summary>The code identity of a checkout whose commit has the given tree, with the given include paths' identities.</summary>
    public static RepoCode Code(string tree, string? changes = null, IReadOnlyDictionary<string, PathCode>? paths = null) => new()
    {
        Tree = tree,
        Changes = changes,
        Paths = paths ?? new Dictionary<string, PathCode>(),
    };
}
