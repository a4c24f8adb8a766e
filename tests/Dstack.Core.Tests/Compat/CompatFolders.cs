using Dstack.Contracts.Runs;
using Dstack.Core.Workflows;

namespace Dstack.Core.Tests.Compat;

/// <summary>
/// The real `.dstack/` folders of early dstack users, kept beside the repository in `shared/compat` (the repository is
/// checked out at X/main with X/shared beside it, in CI too). Read at test time, never copied into the project.
/// </summary>
internal static class CompatFolders
{
    private static string? _root;

    // Located on first use, so a missing folder fails each test with the message below, not a type initializer error.
    public static string Root => _root ??= Locate();

    public static IReadOnlyList<WorkflowFileContent> Files(string folder)
    {
        var repo = Path.Combine(Root, folder);
        Assert.True(Directory.Exists(Path.Combine(repo, ".dstack")), $"{repo}/.dstack is missing from shared/compat");
        return WorkflowFileReader.Read(repo);
    }

    public static WorkflowSet Parse(string folder) => WorkflowSetParser.Parse(Files(folder));

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "compat");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException(
            $"shared/compat not found in any folder above {AppContext.BaseDirectory}: these tests need the compat folders checked out beside the repository (X/main and X/shared).");
    }
}
