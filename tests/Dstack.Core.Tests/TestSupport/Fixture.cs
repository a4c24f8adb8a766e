using Dstack.Contracts.Runs;
using Dstack.Core.Workflows;

namespace Dstack.Core.Tests.TestSupport;

/// <summary>
/// Our own workflow files under Fixtures/NAME/, copied to the test output. A fixture folder holds what `.dstack/` would
/// (workflows.yaml, workflows/*.yaml, variables.yaml); it is kept without the dot so build globs never skip it.
/// </summary>
internal static class Fixture
{
    public static IReadOnlyList<WorkflowFileContent> Files(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
        Assert.True(Directory.Exists(folder), $"fixture folder {folder} is missing from the test output");
        return Directory.EnumerateFiles(folder, "*.yaml", SearchOption.AllDirectories)
            .Select(path => new WorkflowFileContent(".dstack/" + Path.GetRelativePath(folder, path).Replace('\\', '/'), File.ReadAllText(path)))
            .ToList();
    }

    public static WorkflowSet Parse(string name) => WorkflowSetParser.Parse(Files(name));

    /// <summary>The 1-based line of the first line of a fixture file that contains text.</summary>
    public static int LineOf(string name, string file, string text)
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", name, file));
        var index = Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
        Assert.True(index >= 0, $"'{text}' is not in fixture {name}/{file}");
        return index + 1;
    }
}
