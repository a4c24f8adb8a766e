namespace Dstack.Cli.Hosting;

/// <summary>`dstack runner [--server URL] [--home DIR] [--slots N]` as parsed (--server-file: the built-in runner's).</summary>
public sealed record RunnerSettings(string? Server, string? Home, int? Slots, string? ServerFile);
