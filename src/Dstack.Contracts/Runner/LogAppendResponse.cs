namespace Dstack.Contracts.Runner;

/// <summary>Everything up to AckedOffset (exclusive) is stored; the runner may drop it from its spool.</summary>
public sealed record LogAppendResponse(long AckedOffset);
