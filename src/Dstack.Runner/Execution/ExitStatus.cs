namespace Dstack.Runner.Execution;

/// <summary>How a job's script ended: its exit code, and the signal when the code says a signal killed it.</summary>
public sealed record ExitStatus(int ExitCode)
{
    public string? Signal => PosixSignals.NameFromExitCode(ExitCode);

    public bool Succeeded => ExitCode == 0;

    /// <summary>The FAILED reason: "exit code 3", "killed by SIGKILL".</summary>
    public string Describe() => Signal is { } signal ? $"killed by {signal}" : $"exit code {ExitCode}";
}
