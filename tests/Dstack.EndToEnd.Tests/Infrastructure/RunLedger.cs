namespace Dstack.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A file outside the repository that jobs append their workflow's name to, so a test counts how many times each
/// job's commands really ran (a reused job appends nothing). Outside the repository, it is no part of any code key.
/// </summary>
public sealed class RunLedger
{
    public RunLedger(DstackSandbox sandbox)
    {
        Path = System.IO.Path.Combine(sandbox.Root, "ledger.txt");
    }

    public string Path { get; }

    /// <summary>The shell command a workflow runs to record that it ran.</summary>
    public string Record(string workflow) => $"echo {workflow} >> {Path}";

    public int Count(string workflow) =>
        File.Exists(Path) ? File.ReadAllLines(Path).Count(line => line.Trim() == workflow) : 0;

    /// <summary>Workflow name to times run, for an assertion that shows them all at once.</summary>
    public string Summary(params string[] workflows) => string.Join(", ", workflows.Select(w => $"{w}={Count(w)}"));
}
