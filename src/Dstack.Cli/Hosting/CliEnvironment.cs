namespace Dstack.Cli.Hosting;

/// <summary>What a command reads from its process: the working directory and environment variables. Injected so tests use temp folders.</summary>
public sealed class CliEnvironment
{
    private readonly IReadOnlyDictionary<string, string?> _overrides;

    public CliEnvironment(string workingDirectory, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        WorkingDirectory = workingDirectory;
        _overrides = overrides ?? new Dictionary<string, string?>();
    }

    public string WorkingDirectory { get; }

    /// <summary>A variable: the override when the test set one (null = unset), else the process's.</summary>
    public string? Get(string name)
    {
        var value = _overrides.TryGetValue(name, out var overridden) ? overridden : Environment.GetEnvironmentVariable(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>DSTACK_HOME, or ~/.dstack.</summary>
    public string Home =>
        Path.GetFullPath(Get("DSTACK_HOME") ?? Path.Combine(Get("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dstack"));

    public static CliEnvironment ForProcess() => new(Environment.CurrentDirectory);
}
