namespace Dstack.Cli.Running;

/// <summary>`dstack run` as typed: the workflow (null when none was named), the overridden variables, and run's own flags.</summary>
public sealed record RunArguments(string? Workflow, IReadOnlyDictionary<string, string> Overrides, bool Follow, bool Help);
