using Dstack.Server.Dispatch;

namespace Dstack.Server.Logs;

/// <summary>Pulsed when log records are stored or a job's status changes, so `logs --follow` streams push at once.</summary>
public sealed class LogSignal : AsyncPulse;
