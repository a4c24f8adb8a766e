namespace Dstack.Contracts.Server;

/// <summary>
/// `$DSTACK_HOME/server.json`, written atomically (temp file + rename, mode 0600) by an embedded server once it
/// listens, and read by the CLI and the built-in runner to find it. Removed by a clean shutdown; a stale one
/// (pid gone, or not answering) is detected by the CLI and replaced.
/// </summary>
public sealed record EmbeddedServerState
{
    public required int Pid { get; init; }
    public required string Url { get; init; }
    public required string BuildId { get; init; }
    public required string Version { get; init; }
    public required int ProtocolVersion { get; init; }
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>
    /// The server process's start (<see cref="ProcStat.StartTicks"/>; 0 from servers that did not write it): with the
    /// pid, it tells the CLI that the process alive now is the one that wrote this file, listening where it says.
    /// </summary>
    public long ProcessStartTicks { get; init; }

    /// <summary>The boot <see cref="ProcessStartTicks"/> counts from (<see cref="ProcStat.BootId"/>).</summary>
    public string? BootId { get; init; }
}
