using Dstack.Core.Workflows;

namespace Dstack.Core.Tests.Workflows;

public sealed class WorkflowFileReaderTests : IDisposable
{
    private readonly string _repo = Directory.CreateTempSubdirectory("dstack-core-reader-").FullName;

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_repo, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    [Fact]
    public void ReadsTheWorkflowFiles_InMergeOrder_WithRelativeSlashPaths_AsOnDisk()
    {
        Write(".dstack/variables.yaml", "variables: {}\n");
        Write(".dstack/workflows/b.yaml", "workflows: []\n");
        Write(".dstack/workflows/a.yaml", "workflows:\n  - name: a\n");
        Write(".dstack/workflows.yaml", "workflows: []\n# uncommitted edit\n");

        var files = WorkflowFileReader.Read(_repo);

        Assert.Equal([".dstack/workflows.yaml", ".dstack/workflows/a.yaml", ".dstack/workflows/b.yaml", ".dstack/variables.yaml"], files.Select(f => f.Path));
        Assert.Equal("workflows: []\n# uncommitted edit\n", files[0].Content);
    }

    [Fact]
    public void SkipsOtherFiles_AndFilesInDeeperFolders()
    {
        Write(".dstack/workflows/nested/deep.yaml", "workflows: []\n");
        Write(".dstack/workflows/notes.txt", "x");
        Write(".dstack/workflows/old.yml", "workflows: []\n");
        Write(".dstack/config.yaml", "x: 1\n");
        Write("workflows.yaml", "workflows: []\n");

        Assert.Empty(WorkflowFileReader.Read(_repo));
    }

    [Fact]
    public void AFolderWithoutWorkflowFiles_GivesNothing_AndTheParserSaysToCreateOne()
    {
        var files = WorkflowFileReader.Read(_repo);

        Assert.Empty(files);
        Assert.Contains("create .dstack/workflows.yaml", Assert.Throws<WorkflowFileException>(() => WorkflowSetParser.Parse(files)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhatItReads_ParsesAndPlans()
    {
        Write(".dstack/workflows.yaml", "workflows:\n  - name: hello\n    commands:\n      - echo hello $who\n");
        Write(".dstack/variables.yaml", "variables:\n  global:\n    who: world\n");

        var set = WorkflowSetParser.Parse(WorkflowFileReader.Read(_repo));

        Assert.Equal("world", Assert.Single(set.VariablesOf("hello")).Value);
    }
}
