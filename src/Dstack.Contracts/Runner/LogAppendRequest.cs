using Dstack.Contracts.Logs;

namespace Dstack.Contracts.Runner;

public sealed record LogAppendRequest
{
    public required long FencingToken { get; init; }
    public required int Attempt { get; init; }
    public required IReadOnlyList<LogChunk> Chunks { get; init; }
}
