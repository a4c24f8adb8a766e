namespace Dstack.Cli.Terminal;

/// <summary>A user error: the message says what is wrong and how to fix it; the command prints it and exits 1, no stack trace.</summary>
public sealed class CliException(string message) : Exception(message);
