using Dstack.Contracts.Logs;

namespace Dstack.Server.Logs;

/// <summary>A log record with its arrival sequence number, the cursor of a follow stream.</summary>
public sealed record StoredLogRecord(long Seq, LogRecord Record);
