namespace Dstack.Contracts.Tags;

/// <summary>`dstack tag RUN NAME`: give the run this tag (a run has at most one; tagging again renames it).</summary>
public sealed record TagRequest
{
    public required string Tag { get; init; }
}
