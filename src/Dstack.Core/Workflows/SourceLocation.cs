namespace Dstack.Core.Workflows;

/// <summary>Where something was written: a file relative to the repository root, 1-based line and column.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
