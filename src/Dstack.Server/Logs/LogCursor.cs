namespace Dstack.Server.Logs;

/// <summary>Where a page of logs read in order ended: the last record's attempt, time and arrival sequence number.</summary>
public sealed record LogCursor(int Attempt, DateTimeOffset Time, long Seq);
