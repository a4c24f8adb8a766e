namespace Dstack.Core.Workflows;

/// <summary>
/// A `${{ name }}` (Explicit) or `$name` (legacy) found in a text, at Index with Length characters.
/// A `${{` that doesn't close as `${{ name }}` is reported with IsMalformed set and an empty Name.
/// </summary>
public readonly record struct VariableReference(string Name, int Index, int Length, bool IsExplicit, bool IsMalformed = false);
