namespace Dstack.Runner.Hosting;

/// <summary>Entry point of a runner process; `dstack runner` calls it. Returns the process exit code.</summary>
public static class RunnerProgram
{
    public static Task<int> RunAsync(RunnerOptions options, CancellationToken ct) => throw new NotImplementedException();
}
