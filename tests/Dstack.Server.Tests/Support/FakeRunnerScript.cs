namespace Dstack.Server.Tests.Support;

/// <summary>
/// Stands in for `dstack runner --server-file` (another project's binary): a real process that records its arguments,
/// its token and its pid in <see cref="OutputDir"/>, and exits 0 on SIGTERM, leaving a `stopped.PID` file.
/// </summary>
public sealed class FakeRunnerScript
{
    public FakeRunnerScript(string folder)
    {
        OutputDir = Path.Combine(folder, "fake-runner-out");
        Directory.CreateDirectory(OutputDir);
        ExecutablePath = Path.Combine(folder, "fake-runner.sh");
        File.WriteAllText(ExecutablePath, $$"""
            #!/bin/bash
            out='{{OutputDir}}'
            printf '%s\n' "$@" > "$out/args.$$"
            printf '%s' "$DSTACK_RUNNER_TOKEN" > "$out/token.$$"
            echo "fake runner $$ started"
            trap 'echo stopped > "$out/stopped.$$"; exit 0' TERM
            while true; do sleep 0.05; done
            """);
        File.SetUnixFileMode(ExecutablePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string ExecutablePath { get; }

    public string OutputDir { get; }

    /// <summary>Pids of the runners started so far.</summary>
    public IReadOnlyList<int> StartedPids() =>
        Directory.GetFiles(OutputDir, "token.*").Select(f => int.Parse(Path.GetExtension(f)[1..])).Order().ToList();

    public string[] ArgsOf(int pid) => File.ReadAllLines(Path.Combine(OutputDir, $"args.{pid}"));

    public string TokenOf(int pid) => File.ReadAllText(Path.Combine(OutputDir, $"token.{pid}"));

    public bool Stopped(int pid) => File.Exists(Path.Combine(OutputDir, $"stopped.{pid}"));
}
