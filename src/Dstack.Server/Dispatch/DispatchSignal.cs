namespace Dstack.Server.Dispatch;

/// <summary>Pulsed when a job may have become ready to lease: a run was submitted or a job finished.</summary>
public sealed class DispatchSignal : AsyncPulse;
