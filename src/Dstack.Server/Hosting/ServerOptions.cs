namespace Dstack.Server.Hosting;

/// <summary>Settings of a server process (`dstack server`, or the embedded one the CLI starts).</summary>
public sealed record ServerOptions
{
    /// <summary>State folder: SQLite database, blobs, token, server.json (DSTACK_HOME, default ~/.dstack).</summary>
    public required string Home { get; init; }
    /// <summary>Address to bind; loopback unless the user says otherwise.</summary>
    public string Host { get; init; } = "127.0.0.1";
    /// <summary>0 = a free port (the embedded server prefers the port it had last time).</summary>
    public int Port { get; init; }
    /// <summary>Embedded mode: writes server.json, starts and supervises the built-in runner process.</summary>
    public bool Embedded { get; init; }
    /// <summary>Slots of the built-in runner; default one per core.</summary>
    public int? RunnerSlots { get; init; }
    /// <summary>A runner silent for longer than this is lost, and its jobs fail with the reason `runner lost`.</summary>
    public TimeSpan RunnerTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Between SIGTERM and SIGKILL when a stop request gives no grace of its own.</summary>
    public TimeSpan DefaultStopGrace { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>The executable started as the built-in runner (`EXE runner --server-file ...`); default: this process's own executable.</summary>
    public string? RunnerExecutable { get; init; }
}
