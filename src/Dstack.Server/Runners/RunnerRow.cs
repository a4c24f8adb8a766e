using Dstack.Contracts.Runner;

namespace Dstack.Server.Runners;

/// <summary>A registered runner as stored.</summary>
public sealed record RunnerRow(string Id, string Name, string Owner, int Slots, RunnerCapabilities Capabilities, DateTimeOffset LastSeenAt);
